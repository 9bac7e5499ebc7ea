using TorchSharp;

namespace GenRec.MLNet.Training;

/// <summary>
/// The small contract between a model and the shared <see cref="TrainingLoop"/>: the loop owns epochs,
/// the optimizer, schedule, dispose scopes, clipping, NaN checks, early stopping, checkpoints, cancellation
/// and progress; a model only says how to batch its data, how to compute a loss and how to validate.
/// </summary>
/// <typeparam name="TBatch">The model's own batch description (plain arrays; tensors are made in <see cref="ComputeLoss"/>).</typeparam>
public interface ITrainableModel<TBatch>
{
    /// <summary>The module whose parameters are optimized, checkpointed and restored.</summary>
    torch.nn.Module Module { get; }

    /// <summary>Batches per epoch (used to plan the learning-rate schedule).</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The batches of one epoch; must be deterministic for a given <paramref name="random"/> (resume skips a prefix).</summary>
    IEnumerable<TBatch> EnumerateBatches(int epoch, Random random);

    /// <summary>The scalar loss of a batch. Called in training mode inside a dispose scope the loop owns.</summary>
    torch.Tensor ComputeLoss(TBatch batch);

    /// <summary>
    /// The passes a batch is computed in, each with its share of the batch's loss; the loop adds up their gradients before
    /// one optimizer step (gradient accumulation). The default is one pass over the whole batch. A model splits a batch
    /// whose activations would not fit the processor's caches: the gradient is the batch's (up to float rounding and which
    /// dropout draws fall where), and passes over a few thousand sequence positions run several times faster per example
    /// than one pass over tens of thousands. Shares must sum to 1 and match how <see cref="ComputeLoss"/> averages.
    /// </summary>
    IReadOnlyList<(TBatch Part, double Share)> SplitIntoPasses(TBatch batch) => [(batch, 1.0)];

    /// <summary>Number of training examples in a batch (for throughput).</summary>
    int CountExamples(TBatch batch);

    /// <summary>
    /// The validation metric (higher is better, e.g. Recall@10), or null when the model has no validation data.
    /// Called in eval mode under no_grad.
    /// </summary>
    double? Validate();

    /// <summary>
    /// Whether the untrained model is already a candidate worth keeping, e.g. a correction that starts at zero on top
    /// of a fitted starting point. Then the loop validates before the first step (recorded as epoch 0), and early
    /// stopping returns those initial weights when no epoch beats them. False by default (random initial weights).
    /// </summary>
    bool ValidateBeforeTraining => false;
}
