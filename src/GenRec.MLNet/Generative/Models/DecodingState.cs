using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// A network's incremental-decoding state for a batch of users. Its tensors live outside dispose scopes (they
/// must survive the per-step scopes of beam search) and are disposed as soon as they are replaced, or by
/// <see cref="Dispose"/>.
/// </summary>
internal abstract class DecodingState : IDisposable
{
    /// <summary>Users (groups) in the batch.</summary>
    public int Groups { get; init; }

    /// <summary>Rows per user: 1 before the first step, then the beam width.</summary>
    public int GroupSize { get; set; } = 1;

    public abstract void Dispose();

    /// <summary>Detaches <paramref name="replacement"/> from dispose scopes, disposes <paramref name="old"/>, returns the replacement.</summary>
    protected static Tensor Keep(Tensor? old, Tensor replacement)
    {
        replacement.DetachFromDisposeScope();
        if (!ReferenceEquals(old, replacement))
        {
            old?.Dispose();
        }

        return replacement;
    }
}

/// <summary>Encoder-decoder state: per-layer caches, or (without caching) the memory and every decoded token.</summary>
internal sealed class EncoderDecoderDecodingState : DecodingState
{
    private Tensor? _pending;
    private Tensor? _memory;
    private Tensor? _memoryMask;
    private Tensor? _decoded;

    /// <summary>Per-layer caches, or null when the decoded prefix is recomputed each step.</summary>
    public Nn.DecoderLayerCache[]? Caches { get; set; }

    /// <summary>Each row's newest token [rows] (BOS before the first step).</summary>
    public Tensor? Pending { get => _pending; set => _pending = value is null ? null : Keep(_pending, value); }

    /// <summary>Encoder output [groups, S, d] (kept only without caching).</summary>
    public Tensor? Memory { get => _memory; set => _memory = value is null ? null : Keep(_memory, value); }

    /// <summary>Memory mask [groups, 1, 1, S].</summary>
    public Tensor? MemoryMask { get => _memoryMask; set => _memoryMask = value is null ? null : Keep(_memoryMask, value); }

    /// <summary>Without caching: all tokens so far [rows, t], BOS first.</summary>
    public Tensor? Decoded { get => _decoded; set => _decoded = value is null ? null : Keep(_decoded, value); }

    public override void Dispose()
    {
        foreach (Nn.DecoderLayerCache cache in Caches ?? Array.Empty<Nn.DecoderLayerCache>())
        {
            cache.Dispose();
        }

        _pending?.Dispose();
        _memory?.Dispose();
        _memoryMask?.Dispose();
        _decoded?.Dispose();
    }
}

/// <summary>Decoder-only state: the code head's running state per row.</summary>
internal sealed class DecoderOnlyDecodingState : DecodingState
{
    private Tensor? _state;
    private Tensor? _cellOutput;

    /// <summary>The head's input at the current level [rows, d].</summary>
    public Tensor? State { get => _state; set => _state = value is null ? null : Keep(_state, value); }

    /// <summary>The head's output at the current level [rows, d] (the next level's state before adding the chosen code).</summary>
    public Tensor? CellOutput { get => _cellOutput; set => _cellOutput = value is null ? null : Keep(_cellOutput, value); }

    public override void Dispose()
    {
        _state?.Dispose();
        _cellOutput?.Dispose();
    }
}
