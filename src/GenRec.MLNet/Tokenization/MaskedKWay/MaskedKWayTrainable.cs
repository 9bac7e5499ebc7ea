using GenRec.MLNet.Nn;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// The masked K-way tokenizer as the shared <see cref="TrainingLoop"/> sees it. A batch is a set of row indexes into
/// the training vectors, which stay on the device for the whole run. Each step masks the batch, encodes it with every
/// way, quantizes each way to its nearest code, decodes the mean of the straight-through code vectors and returns
/// reconstruction + Σ_k (codebook + β·commitment).
/// </summary>
internal sealed class MaskedKWayTrainable : ITrainableModel<long[]>, IDisposable
{
    private readonly MaskedKWayNetwork _network;
    private readonly Tensor _vectors;
    private readonly MaskedKWayOptions _options;
    private readonly int _count;
    private readonly DeadCodeTracker? _deadCodes;

    /// <param name="network">The network, already on <paramref name="vectors"/>' device.</param>
    /// <param name="vectors">All training vectors [count, input] on the training device.</param>
    /// <param name="options">Training options.</param>
    public MaskedKWayTrainable(MaskedKWayNetwork network, Tensor vectors, MaskedKWayOptions options)
    {
        _network = network;
        _vectors = vectors;
        _options = options;
        _count = (int)vectors.shape[0];
        if (options.DeadCodeResetSteps > 0)
        {
            _deadCodes = new DeadCodeTracker(options.Ways, options.CodebookSize, options.DeadCodeResetSteps, vectors.device);
        }
    }

    public nn.Module Module => _network;

    public int BatchesPerEpoch => (_count + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>Codes re-seeded by the dead-code reset so far.</summary>
    public long DeadCodeResets => _deadCodes?.ResetCount ?? 0;

    public IEnumerable<long[]> EnumerateBatches(int epoch, Random random)
    {
        long[] order = new long[_count];
        for (int i = 0; i < _count; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        for (int start = 0; start < _count; start += _options.BatchSize)
        {
            yield return order.AsSpan(start, Math.Min(_options.BatchSize, _count - start)).ToArray();
        }
    }

    public int CountExamples(long[] batch) => batch.Length;

    public Tensor ComputeLoss(long[] batch)
    {
        _deadCodes?.ApplyPending(_network.Codebooks.ReplaceCodes);
        Tensor input = _vectors.index_select(0, tensor(batch, device: _vectors.device));
        // Bernoulli masking of individual features, training only: each way must encode the vector from a partial view,
        // which TokenRec found makes the codes more robust (ρ = 0.2 best). The target stays the unmasked input.
        Tensor masked = _options.MaskRatio > 0 ? input.FillWhere(rand_like(input).BelowMask(_options.MaskRatio), 0.0) : input;
        Tensor encodings = _network.EncodeWays(masked);
        KWayCodebooks codebooks = _network.Codebooks;
        Tensor codes = codebooks.Nearest(encodings);
        Tensor quantized = codebooks.Lookup(codes);
        // Straight-through: the decoder sees code values, gradients flow to the encoders as if quantization were identity.
        Tensor straightThrough = encodings.Plus((quantized - encodings).detach());
        Tensor reconstruction = nn.functional.mse_loss(_network.Decode(straightThrough), input);
        // mse_loss averages over the ways too; × K turns that into the per-way sum Σ_k of the paper's loss.
        double ways = _options.Ways;
        Tensor codebookLoss = nn.functional.mse_loss(quantized, encodings.detach()).Times(ways);
        Tensor commitment = nn.functional.mse_loss(encodings, quantized.detach()).Times(ways * _options.CommitmentWeight);
        _deadCodes?.Observe(codes, encodings.detach());
        return reconstruction.Plus(codebookLoss).Plus(commitment);
    }

    /// <summary>Writes re-seedings scheduled by the last step, so the final codebooks are the ones training would continue with.</summary>
    public void Finish() => _deadCodes?.ApplyPending(_network.Codebooks.ReplaceCodes);

    /// <summary>No validation data: the tokenizer keeps its final weights.</summary>
    public double? Validate() => null;

    public void Dispose() => _deadCodes?.Dispose();
}
