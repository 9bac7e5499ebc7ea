using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Dead-code handling shared by both quantizers. It counts, for every code of every group (an RQ-VAE level or a K-way
/// way), the optimizer steps since a row last chose it; a code idle for the threshold is re-seeded to the vector its
/// own group quantized for a random row of the current batch (a residual, or a way's encoding), so it re-enters the
/// competition where data actually is. The replacement is written at the start of the next step: changing a codebook
/// in place before the current step's backward pass would invalidate tensors autograd saved.
/// </summary>
internal sealed class DeadCodeTracker : IDisposable
{
    private readonly int _threshold;
    private readonly int _groups;
    private readonly int _codebookSize;
    private readonly Generator? _generator;
    private Tensor _idleSteps;
    private Tensor? _pendingIndexes;
    private Tensor? _pendingValues;

    /// <param name="groups">Codebooks (levels or ways).</param>
    /// <param name="codebookSize">Codes per codebook.</param>
    /// <param name="threshold">Idle steps after which a code is re-seeded.</param>
    /// <param name="device">Where the counters live.</param>
    /// <param name="generator">Picks the replacement rows; null = torch's global generator.</param>
    public DeadCodeTracker(int groups, int codebookSize, int threshold, Device device, Generator? generator = null)
    {
        _generator = generator;
        _groups = groups;
        _codebookSize = codebookSize;
        _threshold = threshold;
        _idleSteps = zeros(groups * codebookSize, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
    }

    /// <summary>Codes re-seeded so far (all groups).</summary>
    public long ResetCount { get; private set; }

    /// <summary>
    /// Writes the replacements chosen at the previous step: <paramref name="replaceCodes"/> gets the flat indexes
    /// group × codebook size + code and their new vectors [n, dimension].
    /// </summary>
    public void ApplyPending(Action<Tensor, Tensor> replaceCodes)
    {
        if (_pendingIndexes is null || _pendingValues is null)
        {
            return;
        }

        replaceCodes(_pendingIndexes, _pendingValues);
        DisposePending();
    }

    /// <summary>Records the codes a batch chose (int64 [groups, batch]) and schedules re-seeding of codes idle too long.</summary>
    /// <param name="codes">Chosen codes.</param>
    /// <param name="groupInputs">Detached vectors each group quantized [groups, batch, dimension], the pool of replacements.</param>
    public void Observe(Tensor codes, Tensor groupInputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long batch = codes.shape[1];
        Tensor offsets = TensorArithmetic.Range(_groups, codes.device).unsqueeze(1).Times((long)_codebookSize);
        Tensor used = zeros(_groups * _codebookSize, dtype: ScalarType.Bool, device: codes.device)
            .FillAt(codes.Plus(offsets).reshape(-1), true);
        Tensor idle = where(used, zeros_like(_idleSteps), _idleSteps.Plus(1L));
        Tensor dead = idle.AtLeastMask(_threshold).nonzero().squeeze(1);
        long deadCount = dead.shape[0];
        if (deadCount > 0)
        {
            Tensor group = dead.FloorDividedBy(_codebookSize);
            Tensor pick = randint(0, batch, new long[] { deadCount }, dtype: ScalarType.Int64, device: codes.device, generator: _generator);
            Tensor values = groupInputs.reshape(_groups * batch, -1).index_select(0, group.Times(batch).Plus(pick));
            DisposePending();
            _pendingIndexes = dead.DetachFromDisposeScope();
            _pendingValues = values.DetachFromDisposeScope();
            idle.FillAt(dead, 0L);
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
