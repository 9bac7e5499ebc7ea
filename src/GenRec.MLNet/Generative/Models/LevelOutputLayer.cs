using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// The output layer over code tokens (one weight matrix, one row per code token of every level). How a step's
/// softmax is normalized is the <see cref="GenerativeLossScope"/>:
/// <list type="bullet">
/// <item><see cref="GenerativeLossScope.Level"/>: at level l a hidden state is scored against level l's rows only
/// (a slice of the matrix): a full-vocabulary softmax with every other level masked to −∞, at 1/L of the cost.</item>
/// <item><see cref="GenerativeLossScope.WholeVocabulary"/>: LETTER's form: the softmax runs over every code token,
/// so the other levels' tokens are negatives too; decoding reads the level's slice of the same log-softmax, the
/// scores a T5 generate call with a prefix constraint sums.</item>
/// </list>
/// Decoding only ever picks tokens of the current level, so tokens of the wrong level stay impossible either way.
/// </summary>
internal sealed class LevelOutputLayer : nn.Module
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly GenerativeVocabulary _vocabulary;
    private readonly bool _wholeVocabulary;

    public LevelOutputLayer(int dimension, GenerativeVocabulary vocabulary, GenerativeLossScope scope = GenerativeLossScope.Level) : base(nameof(LevelOutputLayer))
    {
        _vocabulary = vocabulary;
        _wholeVocabulary = scope == GenerativeLossScope.WholeVocabulary;
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

    /// <summary>
    /// Mean cross-entropy of level <paramref name="level"/>'s target codes [N] given hidden states [N, d], on
    /// logits / <paramref name="temperature"/>, normalized over the level's codes or over every code token.
    /// </summary>
    public Tensor Loss(Tensor hidden, int level, Tensor targetCodes, double temperature)
    {
        using var scope = NewDisposeScope();
        Tensor loss = _wholeVocabulary
            ? nn.functional.cross_entropy(nn.functional.linear(hidden, weight, bias).DividedBy(temperature), targetCodes.Plus((long)_vocabulary.OutputOffset(level)))
            : nn.functional.cross_entropy(Logits(hidden, level).DividedBy(temperature), targetCodes);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Log-probabilities [N, codebookSize(level)] of level <paramref name="level"/>'s codes, normalized as in training.</summary>
    public Tensor LogProbs(Tensor hidden, int level)
    {
        using var scope = NewDisposeScope();
        Tensor logProbs = _wholeVocabulary
            ? nn.functional.log_softmax(nn.functional.linear(hidden, weight, bias), 1).narrow(1, _vocabulary.OutputOffset(level), _vocabulary.CodebookSizes[level])
            : nn.functional.log_softmax(Logits(hidden, level), 1);
        return logProbs.MoveToOuterDisposeScope();
    }
}
