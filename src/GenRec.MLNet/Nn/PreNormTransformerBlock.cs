using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// A pre-norm transformer block: x + Attn(LN(x)), then x + FFN(LN(x)) with a GELU feed-forward.
/// Pre-norm trains stably without warm-up tricks, which matters for short CPU budgets.
/// </summary>
internal sealed class PreNormTransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm attention_norm;
    private readonly CausalSelfAttention attention;
    private readonly LayerNorm feed_forward_norm;
    private readonly Linear feed_forward_in;
    private readonly Linear feed_forward_out;
    private readonly Dropout dropout;

    public PreNormTransformerBlock(int dimension, int heads, int feedForwardDimension, double dropoutRate) : base(nameof(PreNormTransformerBlock))
    {
        attention_norm = nn.LayerNorm(dimension);
        attention = new CausalSelfAttention(dimension, heads, dropoutRate);
        feed_forward_norm = nn.LayerNorm(dimension);
        feed_forward_in = nn.Linear(dimension, feedForwardDimension);
        feed_forward_out = nn.Linear(feedForwardDimension, dimension);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.Plus(dropout.forward(attention.forward(attention_norm.forward(input))));
        Tensor hidden = nn.functional.gelu(feed_forward_in.forward(feed_forward_norm.forward(x)));
        x = x.Plus(dropout.forward(feed_forward_out.forward(dropout.forward(hidden))));
        return x.MoveToOuterDisposeScope();
    }
}
