namespace GenRec.MLNet.Training;

/// <summary>What the shared training loop did.</summary>
public sealed class TrainingResult
{
    /// <summary>Epochs completed (including ones restored from a checkpoint).</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>Optimizer steps taken.</summary>
    public long Steps { get; init; }

    /// <summary>Wall-clock training time of this run (not counting a resumed run's earlier time).</summary>
    public TimeSpan TrainingTime { get; init; }

    /// <summary>
    /// Time spent before the loop on the same budget (a tokenizer's k-means initialization); counted against
    /// <see cref="TorchTrainerOptions.MaxTrainingTime"/> together with <see cref="TrainingTime"/>.
    /// </summary>
    public TimeSpan PreparationTime { get; init; }

    /// <summary>Best validation metric seen (null when there was no validation).</summary>
    public double? BestValidationMetric { get; init; }

    /// <summary>
    /// Epoch at which the best validation metric was reached (its weights are the ones kept); 0 when the weights before
    /// training were kept (<see cref="ITrainableModel{TBatch}.ValidateBeforeTraining"/>).
    /// </summary>
    public int BestEpoch { get; init; }

    /// <summary>Mean training loss of the last epoch.</summary>
    public double FinalLoss { get; init; }

    /// <summary>Examples per second over the whole run.</summary>
    public double ExamplesPerSecond { get; init; }

    /// <summary>Why training stopped.</summary>
    public TrainingStopReason StopReason { get; init; } = TrainingStopReason.Epochs;

    /// <summary>The checkpoint's spelling of a stop reason (kept as text there so old checkpoint files stay readable).</summary>
    internal static TrainingStopReason ParseStopReason(string text) => text switch
    {
        "early-stopping" => TrainingStopReason.EarlyStopping,
        "time-budget" => TrainingStopReason.TimeBudget,
        _ => TrainingStopReason.Epochs,
    };

    /// <summary>
    /// (training seconds, epoch, validation metric) after each validation: the validation curve. A resumed run's curve
    /// includes the validations before the interruption; seconds count the training time of every part of the run.
    /// </summary>
    public IReadOnlyList<(double Seconds, int Epoch, double Metric)> ValidationCurve { get; init; } = Array.Empty<(double, int, double)>();

    /// <summary>
    /// True when no training happened because the checkpoint folder already held a completed run with the same data,
    /// options and seed: the model is that run's best, and every other field describes that run.
    /// </summary>
    public bool ReusedCompletedCheckpoint { get; init; }
}
