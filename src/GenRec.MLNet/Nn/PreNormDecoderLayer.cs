using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// A pre-norm transformer decoder block: causal self-attention, cross-attention to an encoder memory, then a
/// feed-forward, each as x + Sublayer(LN(x)). <see cref="forward"/> processes a whole (teacher-forced) target
/// sequence; <see cref="Step"/> processes one new token per row against a <see cref="DecoderLayerCache"/>, so
/// neither earlier tokens nor the memory are projected again during incremental decoding.
/// </summary>
internal sealed class PreNormDecoderLayer : nn.Module
{
    private readonly LayerNorm self_attention_norm;
    private readonly MultiHeadAttention self_attention;
    private readonly LayerNorm cross_attention_norm;
    private readonly MultiHeadAttention cross_attention;
    private readonly LayerNorm feed_forward_norm;
    private readonly GeluFeedForward feed_forward;
    private readonly Dropout dropout;

    public PreNormDecoderLayer(int dimension, int heads, int headDimension, int feedForwardDimension, double dropoutRate) : base(nameof(PreNormDecoderLayer))
    {
        self_attention_norm = nn.LayerNorm(dimension);
        self_attention = new MultiHeadAttention(dimension, heads, headDimension, dropoutRate);
        cross_attention_norm = nn.LayerNorm(dimension);
        cross_attention = new MultiHeadAttention(dimension, heads, headDimension, dropoutRate);
        feed_forward_norm = nn.LayerNorm(dimension);
        feed_forward = new GeluFeedForward(dimension, feedForwardDimension, dropoutRate);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>
    /// Decodes <paramref name="x"/> [B, T, d] against <paramref name="memory"/> [B, S, d];
    /// <paramref name="memoryMask"/> is [B, 1, 1, S] (true = real memory position) or null.
    /// </summary>
    public Tensor forward(Tensor x, Tensor memory, Tensor? memoryMask)
    {
        using var scope = NewDisposeScope();
        Tensor normed = self_attention_norm.forward(x);
        x = x.Plus(dropout.forward(self_attention.forward(normed, normed, null, causal: true)));
        x = x.Plus(dropout.forward(cross_attention.forward(cross_attention_norm.forward(x), memory, memoryMask, causal: false)));
        x = x.Plus(dropout.forward(feed_forward.forward(feed_forward_norm.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Projects the memory [groups, S, d] for cross-attention once per decoding run.</summary>
    public DecoderLayerCache CreateCache(Tensor memory, Tensor? memoryMask)
    {
        (Tensor key, Tensor value) = cross_attention.KeyValue(memory);
        return new DecoderLayerCache(key, value, memoryMask);
    }

    /// <summary>
    /// One incremental step: <paramref name="x"/> [rows, 1, d] holds each row's newest token; rows are
    /// group-major (group g = rows g·groupSize … g·groupSize + groupSize − 1, e.g. a user's beams) and share
    /// that group's memory. Appends the token's keys/values to <paramref name="cache"/>.
    /// </summary>
    public Tensor Step(Tensor x, DecoderLayerCache cache, int groupSize)
    {
        using var scope = NewDisposeScope();
        Tensor normed = self_attention_norm.forward(x);
        (Tensor key, Tensor value) = self_attention.KeyValue(normed);
        cache.AppendSelf(key, value);

        // The newest token may see every cached token, so no mask is needed.
        x = x.Plus(self_attention.Attend(self_attention.Query(normed), cache.SelfKey!, cache.SelfValue!, null, causal: false));
        x = x.Plus(cross_attention.AttendGrouped(cross_attention_norm.forward(x), cache.CrossKey, cache.CrossValue, cache.MemoryMask, groupSize));
        x = x.Plus(feed_forward.forward(feed_forward_norm.forward(x)));
        return x.MoveToOuterDisposeScope();
    }
}
