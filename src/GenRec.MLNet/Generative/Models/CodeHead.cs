using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// The decoder-only network's small autoregressive head that turns one history state h into the next item's
/// L codes. With s₀ = h: z_l = s_l + FFN_l(LN_l(s_l)) is scored by the level-l output rows, and
/// s_{l+1} = z_l + E[c_l] adds the embedding of the code chosen (teacher-forced in training, a beam's code in
/// decoding). Each level therefore conditions on the history and on all earlier codes, so beam search over
/// codes is well defined, while a step costs one feed-forward per row instead of a decoder pass.
/// </summary>
internal sealed class CodeHead : nn.Module
{
    private readonly ModuleList<LayerNorm> norms;
    private readonly ModuleList<GeluFeedForward> cells;
    private readonly LayerNorm output_norm;

    public CodeHead(int dimension, int hiddenDimension, int levels, double dropoutRate) : base(nameof(CodeHead))
    {
        norms = nn.ModuleList(Enumerable.Range(0, levels).Select(_ => nn.LayerNorm(dimension)).ToArray());
        cells = nn.ModuleList(Enumerable.Range(0, levels).Select(_ => new GeluFeedForward(dimension, hiddenDimension, dropoutRate)).ToArray());
        output_norm = nn.LayerNorm(dimension);
        RegisterComponents();
    }

    /// <summary>z_l from s_l [..., d].</summary>
    public Tensor Cell(Tensor state, int level)
    {
        using var scope = NewDisposeScope();
        return state.Plus(cells[level].forward(norms[level].forward(state))).MoveToOuterDisposeScope();
    }

    /// <summary>The normalized z_l that the output layer scores.</summary>
    public Tensor Normalize(Tensor cellOutput) => output_norm.forward(cellOutput);
}
