using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>
/// Multi-head self-attention over (batch, time, feature) tensors with a causal mask, computed by LibTorch's
/// fused scaled-dot-product attention (no explicit T×T mask tensor is built).
/// </summary>
internal sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear output;
    private readonly int _heads;
    private readonly double _dropout;

    public CausalSelfAttention(int dimension, int heads, double dropout) : base(nameof(CausalSelfAttention))
    {
        if (dimension % heads != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(heads), heads, $"The dimension {dimension} must be divisible by the number of heads {heads}.");
        }

        qkv = nn.Linear(dimension, 3 * dimension);
        output = nn.Linear(dimension, dimension);
        _heads = heads;
        _dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], time = input.shape[1], dimension = input.shape[2];
        Tensor[] parts = qkv.forward(input).view(batch, time, 3, _heads, dimension / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        Tensor attended = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], null, training ? _dropout : 0.0, true);
        Tensor merged = attended.transpose(1, 2).reshape(batch, time, dimension);
        return output.forward(merged).MoveToOuterDisposeScope();
    }
}
