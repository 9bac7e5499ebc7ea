using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// The output layer over code tokens, used per level: at level l a hidden state is scored against level l's
/// rows only (a slice of one weight matrix). That is exactly a full-vocabulary softmax with every other level
/// masked to −∞, at 1/L of the cost, and it makes tokens of the wrong level impossible by construction.
/// </summary>
internal sealed class LevelOutputLayer : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly GenerativeVocabulary _vocabulary;

    public LevelOutputLayer(int dimension, GenerativeVocabulary vocabulary) : base(nameof(LevelOutputLayer))
    {
        _vocabulary = vocabulary;
        weight = new Parameter(empty(vocabulary.CodeTokenCount, dimension));
        bias = new Parameter(zeros(vocabulary.CodeTokenCount));
        RegisterComponents();
        using (no_grad())
        {
            // Inputs are layer-normalized (unit variance per feature), so this starts logits near unit scale.
            nn.init.normal_(weight, 0, 1.0 / Math.Sqrt(dimension));
        }
    }

    /// <summary>Level-<paramref name="level"/> logits [..., codebookSize(level)] of hidden states [..., d].</summary>
    public Tensor Logits(Tensor hidden, int level)
    {
        using var scope = NewDisposeScope();
        int offset = _vocabulary.OutputOffset(level);
        int size = _vocabulary.CodebookSizes[level];
        Tensor levelWeight = weight.narrow(0, offset, size);
        return nn.functional.linear(hidden, levelWeight, bias.narrow(0, offset, size)).MoveToOuterDisposeScope();
    }
}
