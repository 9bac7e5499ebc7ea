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

    /// <summary>
    /// Re-draws every layer's weights and biases from U(−1/√fan_in, 1/√fan_in) — LibTorch's default for Linear — with
    /// <paramref name="generator"/>, so initialization does not depend on torch's process-wide generator.
    /// </summary>
    public void ResetParameters(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (Linear linear in layers.modules().OfType<Linear>())
        {
            double bound = 1.0 / Math.Sqrt(linear.in_features);
            linear.weight!.uniform_(-bound, bound, generator);
            linear.bias?.uniform_(-bound, bound, generator);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return layers.forward(input).MoveToOuterDisposeScope();
    }
}
