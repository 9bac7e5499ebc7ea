using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// TokenRec's projection from the encoder's pooled output into the CF embedding space: Linear layers through the given
/// hidden widths with GELU between them, and a plain linear last layer (cosine ranking needs signed outputs).
/// </summary>
internal sealed class RetrievalProjectionHead : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();

    public RetrievalProjectionHead(int inputDimension, IReadOnlyList<int> hiddenSizes, int outputDimension) : base(nameof(RetrievalProjectionHead))
    {
        int width = inputDimension;
        foreach (int hidden in hiddenSizes)
        {
            layers.Add(nn.Linear(width, hidden));
            width = hidden;
        }

        layers.Add(nn.Linear(width, outputDimension));
        RegisterComponents();
    }

    /// <summary>
    /// Sets the last layer's weights and bias to zero, so the head outputs zero until training moves it: used when its
    /// output is a correction added to a vector that is already good (<see cref="UserCodeDecoder"/>).
    /// </summary>
    public void ZeroLastLayer()
    {
        using var noGrad = no_grad();
        Linear last = layers[layers.Count - 1];
        last.weight!.zero_();
        last.bias!.zero_();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1)
            {
                x = nn.functional.gelu(x);
            }
        }

        return x.MoveToOuterDisposeScope();
    }
}
