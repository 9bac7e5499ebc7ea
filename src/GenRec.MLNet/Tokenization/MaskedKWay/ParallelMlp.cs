using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// K independent MLPs of the same shape evaluated as one batched matrix product per layer (Linear → ReLU for every
/// hidden layer, a final Linear without activation). Holding the K ways' weights as [K, in, out] tensors instead of K
/// modules keeps the forward pass at one batched matmul per layer, which matters on a GPU where K small matmuls would
/// each pay a kernel launch. With K = 1 it is a plain MLP (the decoder).
/// </summary>
internal sealed class ParallelMlp : nn.Module<Tensor, Tensor>
{
    // Names, not Parameter references: Module.to(device) replaces registered parameters by new objects and can only
    // re-point named fields, so a cached array would keep the CPU copies after a move to CUDA.
    private readonly string[] _weightNames;
    private readonly string[] _biasNames;

    /// <summary>Creates <paramref name="ways"/> MLPs through <paramref name="widths"/>, e.g. {64, 128, 256, 64}.</summary>
    public ParallelMlp(int ways, IReadOnlyList<int> widths) : base(nameof(ParallelMlp))
    {
        if (widths.Count < 2)
        {
            throw new ArgumentException("An MLP needs an input and an output width.", nameof(widths));
        }

        Ways = ways;
        int layers = widths.Count - 1;
        _weightNames = new string[layers];
        _biasNames = new string[layers];
        for (int layer = 0; layer < layers; layer++)
        {
            // nn.Linear's default initialization, U(−1/√fan_in, 1/√fan_in) for weight and bias, so every way starts
            // exactly like an independent torch Linear stack would.
            double bound = 1.0 / Math.Sqrt(widths[layer]);
            _weightNames[layer] = $"weight_{layer}";
            _biasNames[layer] = $"bias_{layer}";
            register_parameter(_weightNames[layer], nn.Parameter(empty(ways, widths[layer], widths[layer + 1]).uniform_(-bound, bound)));
            register_parameter(_biasNames[layer], nn.Parameter(empty(ways, 1, widths[layer + 1]).uniform_(-bound, bound)));
        }
    }

    /// <summary>Number of independent MLPs.</summary>
    public int Ways { get; }

    /// <summary>
    /// Maps <paramref name="input"/> [batch, in] (the same input for every way) or [ways, batch, in] (one input per way)
    /// to [ways, batch, out].
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = input.dim() == 2 ? input.unsqueeze(0).expand(Ways, -1, -1) : input;
        for (int layer = 0; layer < _weightNames.Length; layer++)
        {
            // bmm + add, not baddbmm: TorchSharp 0.107's baddbmm rejected these correctly shaped operands (its error showed
            // them in another order), in both its static and instance forms.
            hidden = hidden.bmm(Registered(_weightNames[layer])).Plus(Registered(_biasNames[layer]));
            if (layer + 1 < _weightNames.Length)
            {
                hidden = nn.functional.relu(hidden);
            }
        }

        return hidden.MoveToOuterDisposeScope();
    }

    private Tensor Registered(string name) =>
        get_parameter(name) ?? throw new InvalidOperationException($"ParallelMlp parameter '{name}' is not registered.");
}
