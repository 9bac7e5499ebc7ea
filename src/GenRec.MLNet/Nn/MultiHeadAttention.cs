using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// Multi-head attention over (batch, time, feature) tensors whose inner width is heads × headDimension, which
/// may differ from the model width (T5 / LETTER: 6 heads of 64 = 384 over d_model 128). Serves self- and
/// cross-attention; the projections are exposed separately so decoders can project a memory or a new token's
/// keys once and cache them across decoding steps. Scores use LibTorch's fused scaled-dot-product attention.
/// </summary>
/// <remarks>
/// Masks are boolean, broadcastable to [batch, heads, queries, keys], true = may attend. Callers must leave
/// every query at least one attendable key: a fully masked softmax row is NaN.
/// </remarks>
internal sealed class MultiHeadAttention : nn.Module
{
    private readonly Linear query;
    private readonly Linear key_value;
    private readonly Linear output;
    private readonly int _heads;
    private readonly int _headDimension;
    private readonly double _dropout;

    public MultiHeadAttention(int dimension, int heads, int headDimension, double dropout) : base(nameof(MultiHeadAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headDimension, 1);
        int inner = heads * headDimension;
        query = nn.Linear(dimension, inner);
        key_value = nn.Linear(dimension, 2 * inner);
        output = nn.Linear(inner, dimension);
        _heads = heads;
        _headDimension = headDimension;
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Attends from <paramref name="x"/> [B, T, d] to <paramref name="source"/> [B, S, d].</summary>
    public Tensor forward(Tensor x, Tensor source, Tensor? mask, bool causal)
    {
        using var scope = NewDisposeScope();
        (Tensor k, Tensor v) = KeyValue(source);
        return Attend(Query(x), k, v, mask, causal).MoveToOuterDisposeScope();
    }

    /// <summary>Queries of <paramref name="x"/> [B, T, d] as [B, heads, T, headDimension].</summary>
    public Tensor Query(Tensor x) => SplitHeads(query.forward(x));

    /// <summary>Keys and values of <paramref name="source"/> [B, S, d], each [B, heads, S, headDimension].</summary>
    public (Tensor Key, Tensor Value) KeyValue(Tensor source)
    {
        using var scope = NewDisposeScope();
        Tensor[] parts = key_value.forward(source).chunk(2, -1);
        return (SplitHeads(parts[0]).MoveToOuterDisposeScope(), SplitHeads(parts[1]).MoveToOuterDisposeScope());
    }

    /// <summary>Attention of projected queries [B, h, T, hd] over keys/values [B, h, S, hd]; returns [B, T, d].</summary>
    public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal)
    {
        using var scope = NewDisposeScope();
        Tensor attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, training ? _dropout : 0.0, causal);
        long batch = attended.shape[0], time = attended.shape[2];
        Tensor merged = attended.transpose(1, 2).reshape(batch, time, _heads * _headDimension);
        return output.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cross-attention for beam search without copying the memory per beam: <paramref name="x"/> holds
    /// <c>groups × groupSize</c> rows of one query token each (group-major, e.g. users × beams), and row
    /// g·groupSize + j attends to group g's keys/values [groups, h, S, hd]. Queries of one group become the
    /// query-time axis of one attention call, which is exact because cross-attention has no causal mask.
    /// </summary>
    public Tensor AttendGrouped(Tensor x, Tensor k, Tensor v, Tensor? mask, int groupSize)
    {
        using var scope = NewDisposeScope();
        long rows = x.shape[0];
        long groups = rows / groupSize;
        Tensor q = query.forward(x).view(groups, groupSize, _heads, _headDimension).transpose(1, 2);
        Tensor attended = nn.functional.scaled_dot_product_attention(q, k, v, mask, training ? _dropout : 0.0, false);
        Tensor merged = attended.transpose(1, 2).reshape(rows, 1, _heads * _headDimension);
        return output.forward(merged).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor projected)
    {
        long batch = projected.shape[0], time = projected.shape[1];
        return projected.view(batch, time, _heads, _headDimension).transpose(1, 2);
    }
}
