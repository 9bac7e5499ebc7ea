using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// Incremental-decoding state of one <see cref="PreNormDecoderLayer"/>: the projected memory (per group, computed
/// once) and the keys/values of every token decoded so far (per row). The cache owns its tensors outside any
/// dispose scope (they must survive the per-step scopes of a decode) and disposes each one as soon as it is
/// replaced, so a decode never holds more than the current step's keys and values.
/// </summary>
internal sealed class DecoderLayerCache : IDisposable
{
    /// <summary>Takes ownership of the projected memory; <paramref name="memoryMask"/> stays owned by the caller.</summary>
    public DecoderLayerCache(Tensor crossKey, Tensor crossValue, Tensor? memoryMask)
    {
        CrossKey = crossKey.DetachFromDisposeScope();
        CrossValue = crossValue.DetachFromDisposeScope();
        MemoryMask = memoryMask;
    }

    /// <summary>Memory keys [groups, heads, S, headDimension].</summary>
    public Tensor CrossKey { get; }

    /// <summary>Memory values [groups, heads, S, headDimension].</summary>
    public Tensor CrossValue { get; }

    /// <summary>Memory mask [groups, 1, 1, S] (true = real position) or null; not owned.</summary>
    public Tensor? MemoryMask { get; }

    /// <summary>Self-attention keys of the decoded tokens [rows, heads, t, headDimension], null before the first step.</summary>
    public Tensor? SelfKey { get; private set; }

    /// <summary>Self-attention values of the decoded tokens [rows, heads, t, headDimension].</summary>
    public Tensor? SelfValue { get; private set; }

    /// <summary>Appends one token's keys and values [rows, heads, 1, headDimension].</summary>
    public void AppendSelf(Tensor key, Tensor value)
    {
        SelfKey = Replace(SelfKey, SelfKey is null ? key.alias() : cat(new[] { SelfKey, key }, 2));
        SelfValue = Replace(SelfValue, SelfValue is null ? value.alias() : cat(new[] { SelfValue, value }, 2));
    }

    /// <summary>Keeps the rows named by <paramref name="parentRows"/> (beam reordering; rows may repeat).</summary>
    public void Reorder(Tensor parentRows)
    {
        if (SelfKey is null)
        {
            return;
        }

        SelfKey = Replace(SelfKey, SelfKey.index_select(0, parentRows));
        SelfValue = Replace(SelfValue, SelfValue!.index_select(0, parentRows));
    }

    public void Dispose()
    {
        SelfKey?.Dispose();
        SelfValue?.Dispose();
        CrossKey.Dispose();
        CrossValue.Dispose();
    }

    private static Tensor Replace(Tensor? old, Tensor replacement)
    {
        // The replacement must outlive the step's dispose scope; the old tensor is no longer referenced.
        replacement.DetachFromDisposeScope();
        old?.Dispose();
        return replacement;
    }
}
