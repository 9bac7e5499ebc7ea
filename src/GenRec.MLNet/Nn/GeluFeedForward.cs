using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>The position-wise feed-forward of a transformer block: Linear → GELU → dropout → Linear.</summary>
internal sealed class GeluFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear input;
    private readonly Linear output;
    private readonly Dropout dropout;

    public GeluFeedForward(int dimension, int hiddenDimension, double dropoutRate) : base(nameof(GeluFeedForward))
    {
        input = nn.Linear(dimension, hiddenDimension);
        output = nn.Linear(hiddenDimension, dimension);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return output.forward(dropout.forward(nn.functional.gelu(input.forward(x)))).MoveToOuterDisposeScope();
    }
}
