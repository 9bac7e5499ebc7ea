using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// A pre-norm self-attention block, x + Attn(LN(x)) then x + FFN(LN(x)), with an attention inner width that
/// may differ from the model width. Bidirectional with a key-padding mask (an encoder layer) or causal without
/// one (a decoder-only layer over right-padded input, where no query can see only padding).
/// </summary>
internal sealed class PreNormEncoderLayer : nn.Module
{
    private readonly LayerNorm attention_norm;
    private readonly MultiHeadAttention attention;
    private readonly LayerNorm feed_forward_norm;
    private readonly GeluFeedForward feed_forward;
    private readonly Dropout dropout;

    public PreNormEncoderLayer(int dimension, int heads, int headDimension, int feedForwardDimension, double dropoutRate) : base(nameof(PreNormEncoderLayer))
    {
        attention_norm = nn.LayerNorm(dimension);
        attention = new MultiHeadAttention(dimension, heads, headDimension, dropoutRate);
        feed_forward_norm = nn.LayerNorm(dimension);
        feed_forward = new GeluFeedForward(dimension, feedForwardDimension, dropoutRate);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Transforms <paramref name="x"/> [B, T, d]; <paramref name="keyMask"/> is [B, 1, 1, T] (true = real key) or null.</summary>
    public Tensor forward(Tensor x, Tensor? keyMask, bool causal)
    {
        using var scope = NewDisposeScope();
        Tensor normed = attention_norm.forward(x);
        x = x.Plus(dropout.forward(attention.forward(normed, normed, keyMask, causal)));
        x = x.Plus(dropout.forward(feed_forward.forward(feed_forward_norm.forward(x))));
        return x.MoveToOuterDisposeScope();
    }
}
