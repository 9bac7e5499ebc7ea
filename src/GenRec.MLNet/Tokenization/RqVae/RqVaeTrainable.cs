using GenRec.MLNet.Nn;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// The RQ-VAE objective for the shared <see cref="TrainingLoop"/>: a batch is a set of item indexes; the loss is
/// reconstruction MSE + the quantization loss, plus LETTER's collaborative InfoNCE and diversity terms when enabled.
/// Also owns the two pieces of state that live outside the weights: dead-code usage counts and the per-epoch code
/// clusters of the diversity regularizer.
/// </summary>
internal sealed class RqVaeTrainable : ITrainableModel<long[]>, IDisposable
{
    private readonly RqVaeTrainingModule _module;
    private readonly RqVaeNetwork _network;
    private readonly Tensor _content;
    private readonly Tensor? _collaborative;
    private readonly RqVaeOptions _options;
    private readonly Func<double?> _validate;
    private readonly DeadCodeTracker? _deadCodes;
    private readonly Generator _generator;
    private DiversityClusters? _clusters;

    /// <param name="module">Network (+ CF projection) on its device.</param>
    /// <param name="content">All content vectors [items, input] on the device.</param>
    /// <param name="collaborative">CF embeddings [items, cf dimension] on the device, or null when the regularizer is off.</param>
    /// <param name="options">Loss weights and sizes.</param>
    /// <param name="validate">The validation metric (called by the loop under no_grad, eval mode).</param>
    /// <param name="generator">The run's own random source (k-means, dead-code replacements, diversity positives).</param>
    public RqVaeTrainable(RqVaeTrainingModule module, Tensor content, Tensor? collaborative, RqVaeOptions options, Func<double?> validate, Generator generator)
    {
        _generator = generator;
        _module = module;
        _network = module.Network;
        _content = content;
        _collaborative = collaborative;
        _options = options;
        _validate = validate;
        if (options.DeadCodeResetSteps > 0)
        {
            _deadCodes = new DeadCodeTracker(options.Levels, options.CodebookSize, options.DeadCodeResetSteps, content.device, generator);
        }
    }

    public nn.Module Module => _module;

    public int BatchesPerEpoch => (int)((ItemCount + _options.BatchSize - 1) / _options.BatchSize);

    /// <summary>Codes re-seeded by the dead-code reset so far.</summary>
    public long DeadCodeResets => _deadCodes?.ResetCount ?? 0;

    /// <summary>The code clusters of the last epoch (null when the diversity regularizer is off).</summary>
    public DiversityClusters? Clusters => _clusters;

    private long ItemCount => _content.shape[0];

    public IEnumerable<long[]> EnumerateBatches(int epoch, Random random)
    {
        if (_options.DiversityWeight > 0)
        {
            // LETTER re-clusters each codebook once per epoch: codes move during training, clusters follow them.
            _clusters?.Dispose();
            _clusters = DiversityClusters.Build(_network.Quantizer.Codebooks, _options.EffectiveDiversityClusters, _options.KMeansIterations, _generator);
        }

        long[] order = new long[ItemCount];
        for (long i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        var batches = new List<long[]>(BatchesPerEpoch);
        for (int start = 0; start < order.Length; start += _options.BatchSize)
        {
            batches.Add(order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start)).ToArray());
        }

        return batches;
    }

    public Tensor ComputeLoss(long[] batch)
    {
        using var scope = NewDisposeScope();
        _deadCodes?.ApplyPending(_network.Quantizer.ReplaceCodes);
        Tensor index = tensor(batch, device: _content.device);
        Tensor input = _content.index_select(0, index);
        Tensor latent = _network.Encode(input);
        QuantizerOutput quantized = _network.Quantizer.Quantize(latent, _options.CommitmentWeight, withLoss: true);
        Tensor reconstruction = _network.Decode(quantized.Quantized);
        Tensor loss = nn.functional.mse_loss(reconstruction, input).Plus(quantized.Loss);
        if (_collaborative is not null && _options.CollaborativeWeight > 0)
        {
            Tensor cf = _module.ProjectCollaborative(_collaborative.index_select(0, index));
            loss = loss.Plus(CollaborativeLoss(quantized.Quantized, cf, _options.CollaborativeTemperature).Times(_options.CollaborativeWeight));
        }

        if (_clusters is not null && _options.DiversityWeight > 0)
        {
            loss = loss.Plus(_clusters.Loss(_network.Quantizer.Codebooks, quantized.Codes).Times(_options.DiversityWeight));
        }

        _deadCodes?.Observe(quantized.Codes.t(), quantized.LevelInputs);
        return loss.MoveToOuterDisposeScope();
    }

    public int CountExamples(long[] batch) => batch.Length;

    public double? Validate() => _validate();

    /// <summary>
    /// K-means initialization: encodes every item with the untrained encoder and fits each level's codebook to that
    /// level's residuals, level by level (level l + 1 sees what level l left over).
    /// </summary>
    public void InitializeCodebooks()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = _network.training;
        _network.eval();
        try
        {
            Tensor residual = RqVaeTokenizer.EncodeLatents(_network, _content);
            for (int level = 0; level < _options.Levels; level++)
            {
                Tensor centers = KMeans.Fit(residual, _options.CodebookSize, _options.KMeansIterations, _generator);
                _network.Quantizer.SetCodebook(level, centers);
                residual = residual - centers.index_select(0, RqVaeMath.NearestCenter(residual, centers));
            }
        }
        finally
        {
            _network.train(wasTraining);
        }
    }

    /// <summary>
    /// LETTER's collaborative regularizer as a symmetric in-batch InfoNCE: item i's quantized vector must pick out item
    /// i's CF embedding among the batch's, and vice versa. Both sides are L2-normalized, so only directions are aligned.
    /// </summary>
    internal static Tensor CollaborativeLoss(Tensor quantized, Tensor collaborative, double temperature)
    {
        using var scope = NewDisposeScope();
        Tensor a = nn.functional.normalize(quantized, p: 2, dim: 1);
        Tensor b = nn.functional.normalize(collaborative, p: 2, dim: 1);
        Tensor logits = a.matmul(b.t()).DividedBy(temperature);
        Tensor labels = TensorArithmetic.Range(quantized.shape[0], quantized.device);
        Tensor loss = nn.functional.cross_entropy(logits, labels).Plus(nn.functional.cross_entropy(logits.t(), labels)).DividedBy(2.0);
        return loss.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _deadCodes?.Dispose();
        _clusters?.Dispose();
    }
}
