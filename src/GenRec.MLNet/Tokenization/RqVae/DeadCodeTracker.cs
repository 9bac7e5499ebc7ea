using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Counts, for every code of every level, the optimizer steps since an item last chose it; a code idle for the
/// threshold is re-seeded to the residual of a random item of the current batch at its level, so it re-enters the
/// competition where data actually is. The replacement is applied at the start of the next step: changing a codebook in
/// place before the current step's backward pass would invalidate the autograd graph.
/// </summary>
internal sealed class DeadCodeTracker : IDisposable
{
    private readonly int _threshold;
    private readonly int _levels;
    private readonly int _codebookSize;
    private readonly Generator _generator;
    private Tensor _idleSteps;
    private Tensor? _pendingIndexes;
    private Tensor? _pendingValues;

    public DeadCodeTracker(int levels, int codebookSize, int threshold, Device device, Generator generator)
    {
        _generator = generator;
        _levels = levels;
        _codebookSize = codebookSize;
        _threshold = threshold;
        _idleSteps = zeros(levels * codebookSize, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
    }

    /// <summary>Codes re-seeded so far (all levels).</summary>
    public long ResetCount { get; private set; }

    /// <summary>Writes the replacements chosen at the previous step into the codebooks.</summary>
    public void ApplyPending(ResidualQuantizer quantizer)
    {
        if (_pendingIndexes is null || _pendingValues is null)
        {
            return;
        }

        quantizer.ReplaceCodes(_pendingIndexes, _pendingValues);
        DisposePending();
    }

    /// <summary>Records the codes a batch chose (int64 [batch, levels]) and schedules re-seeding of codes idle too long.</summary>
    /// <param name="codes">Chosen codes.</param>
    /// <param name="levelInputs">Detached residuals per level [levels, batch, dimension], the pool of replacements.</param>
    public void Observe(Tensor codes, Tensor levelInputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long batch = codes.shape[0];
        Tensor offsets = arange(_levels, dtype: ScalarType.Int64, device: codes.device) * _codebookSize;
        Tensor used = zeros(_levels * _codebookSize, dtype: ScalarType.Bool, device: codes.device)
            .index_fill_(0, (codes + offsets.unsqueeze(0)).view(-1), true);
        Tensor idle = where(used, zeros_like(_idleSteps), _idleSteps + 1);
        Tensor dead = idle.ge(_threshold).nonzero().squeeze(1);
        long deadCount = dead.shape[0];
        if (deadCount > 0)
        {
            Tensor level = dead.div(_codebookSize, rounding_mode: RoundingMode.floor);
            Tensor pick = randint(0, batch, new long[] { deadCount }, dtype: ScalarType.Int64, device: codes.device, generator: _generator);
            Tensor values = levelInputs.reshape(_levels * batch, -1).index_select(0, level * batch + pick);
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
