using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// A plain MLP: Linear → ReLU → Dropout for every hidden layer, then a final Linear with no activation (the RQ-VAE
/// latent and the reconstruction are unbounded, so neither end may be squashed).
/// </summary>
internal sealed class MlpStack : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Creates an MLP through the given widths, e.g. {64, 512, 256, 128, 32}.</summary>
    public MlpStack(IReadOnlyList<int> widths, double dropout) : base(nameof(MlpStack))
    {
        if (widths.Count < 2)
        {
            throw new ArgumentException("An MLP needs an input and an output width.", nameof(widths));
        }

        layers = nn.Sequential();
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            layers.append(nn.Linear(widths[i], widths[i + 1]));
            if (i + 2 < widths.Count)
            {
                layers.append(nn.ReLU());
                if (dropout > 0)
                {
                    layers.append(nn.Dropout(dropout));
                }
            }
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return layers.forward(input).MoveToOuterDisposeScope();
    }
}
