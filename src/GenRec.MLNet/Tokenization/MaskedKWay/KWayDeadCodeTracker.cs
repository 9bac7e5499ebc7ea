using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// Counts, for every code of every way, the optimizer steps since a vector last chose it; a code idle for the
/// threshold is re-seeded to the encoding (of its own way) of a random vector of the current batch, so it competes
/// again where data is. Replacements are written at the start of the next step: changing the codebook in place before
/// the current step's backward pass would invalidate tensors autograd saved.
/// </summary>
internal sealed class KWayDeadCodeTracker : IDisposable
{
    private readonly int _ways;
    private readonly int _codebookSize;
    private readonly int _threshold;
    private Tensor _idleSteps;
    private Tensor? _pendingIndexes;
    private Tensor? _pendingValues;

    public KWayDeadCodeTracker(int ways, int codebookSize, int threshold, Device device)
    {
        _ways = ways;
        _codebookSize = codebookSize;
        _threshold = threshold;
        _idleSteps = zeros(ways * codebookSize, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
    }

    /// <summary>Codes re-seeded so far (all ways).</summary>
    public long ResetCount { get; private set; }

    /// <summary>Writes the replacements chosen at the previous step into the codebooks.</summary>
    public void ApplyPending(KWayCodebooks codebooks)
    {
        if (_pendingIndexes is null || _pendingValues is null)
        {
            return;
        }

        codebooks.ReplaceCodes(_pendingIndexes, _pendingValues);
        DisposePending();
    }

    /// <summary>Records the codes a batch chose (int64 [ways, batch]) and schedules re-seeding of codes idle too long.</summary>
    /// <param name="codes">Chosen codes.</param>
    /// <param name="encodings">Detached encodings [ways, batch, dimension], the pool of replacements.</param>
    public void Observe(Tensor codes, Tensor encodings)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long batch = codes.shape[1];
        Tensor offsets = arange(_ways, dtype: ScalarType.Int64, device: codes.device).unsqueeze(1) * _codebookSize;
        Tensor used = zeros(_ways * _codebookSize, dtype: ScalarType.Bool, device: codes.device)
            .index_fill_(0, (codes + offsets).reshape(-1), true);
        Tensor idle = where(used, zeros_like(_idleSteps), _idleSteps + 1);
        Tensor dead = idle.ge(_threshold).nonzero().squeeze(1);
        long deadCount = dead.shape[0];
        if (deadCount > 0)
        {
            Tensor way = dead.div(_codebookSize, rounding_mode: RoundingMode.floor);
            Tensor pick = randint(0, batch, new long[] { deadCount }, dtype: ScalarType.Int64, device: codes.device);
            Tensor values = encodings.reshape(_ways * batch, -1).index_select(0, way * batch + pick);
            DisposePending();
            _pendingIndexes = dead.DetachFromDisposeScope();
            _pendingValues = values.DetachFromDisposeScope();
            idle.index_fill_(0, dead, 0);
            ResetCount += deadCount;
        }

        _idleSteps.Dispose();
        _idleSteps = idle.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        DisposePending();
        _idleSteps.Dispose();
    }

    private void DisposePending()
    {
        _pendingIndexes?.Dispose();
        _pendingValues?.Dispose();
        _pendingIndexes = null;
        _pendingValues = null;
    }
}
