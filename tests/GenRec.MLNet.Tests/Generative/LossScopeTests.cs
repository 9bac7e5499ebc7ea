using FluentAssertions;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Nn;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tests.Generative;

/// <summary>
/// The two normalizations of a generation step's softmax (<see cref="GenerativeLossScope"/>): over the level's codes,
/// or over every code token as in LETTER's ranking-guided loss. Checked against cross-entropy written out by hand.
/// </summary>
public sealed class LossScopeTests
{
    private static readonly int[] CodebookSizes = { 4, 3, 5 };

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.5)]
    public void WholeVocabularyLossIsCrossEntropyOverEveryCodeToken(int level, double temperature)
    {
        using var scope = NewDisposeScope();
        (LevelOutputLayer whole, LevelOutputLayer perLevel, Tensor hidden) = Layers();
        long[] targets = { 0, 2, 1, 2, 0, 1 };
        Tensor targetCodes = tensor(targets.Select(t => t % CodebookSizes[level]).ToArray());
        int offset = CodebookSizes.Take(level).Sum();

        // By hand: the 12 logits of each row (levels side by side), the target's logit at offset + code.
        double expectedWhole = 0, expectedLevel = 0;
        float[][] logitsByLevel = Enumerable.Range(0, CodebookSizes.Length).Select(l => perLevel.Logits(hidden, l).data<float>().ToArray()).ToArray();
        long[] codes = targetCodes.data<long>().ToArray();
        for (int row = 0; row < codes.Length; row++)
        {
            double[] rowAll = Enumerable.Range(0, CodebookSizes.Length)
                .SelectMany(l => logitsByLevel[l].Skip(row * CodebookSizes[l]).Take(CodebookSizes[l]).Select(x => x / temperature)).ToArray();
            double[] rowLevel = rowAll.Skip(offset).Take(CodebookSizes[level]).ToArray();
            double target = rowAll[offset + (int)codes[row]];
            expectedWhole += LogSumExp(rowAll) - target;
            expectedLevel += LogSumExp(rowLevel) - target;
        }

        whole.Loss(hidden, level, targetCodes, temperature).item<float>().Should().BeApproximately((float)(expectedWhole / codes.Length), 1e-5f);
        perLevel.Loss(hidden, level, targetCodes, temperature).item<float>().Should().BeApproximately((float)(expectedLevel / codes.Length), 1e-5f);
        expectedWhole.Should().BeGreaterThan(expectedLevel, "the other levels' tokens only add to the denominator");
    }

    [Fact]
    public void DecodingScoresAreTheTrainingNormalization()
    {
        using var scope = NewDisposeScope();
        (LevelOutputLayer whole, LevelOutputLayer perLevel, Tensor hidden) = Layers();

        double[] wholeMass = new double[hidden.shape[0]];
        for (int level = 0; level < CodebookSizes.Length; level++)
        {
            Tensor levelProbs = perLevel.LogProbs(hidden, level).exp().sum(1);
            levelProbs.data<float>().ToArray().Should().AllSatisfy(p => p.Should().BeApproximately(1f, 1e-5f), "per level, each level's codes carry all the mass");
            float[] wholeProbs = whole.LogProbs(hidden, level).exp().sum(1).data<float>().ToArray();
            wholeProbs.Should().AllSatisfy(p => p.Should().BeLessThan(1f), "over the whole vocabulary one level holds only part of the mass");
            for (int row = 0; row < wholeMass.Length; row++)
            {
                wholeMass[row] += wholeProbs[row];
            }

            // Same weights: the ranking within a level is the same under both normalizations.
            perLevel.LogProbs(hidden, level).argsort(1).data<long>().ToArray()
                .Should().Equal(whole.LogProbs(hidden, level).argsort(1).data<long>().ToArray());
        }

        wholeMass.Should().AllSatisfy(m => m.Should().BeApproximately(1.0, 1e-5), "all levels together hold the whole mass");
    }

    private static (LevelOutputLayer Whole, LevelOutputLayer PerLevel, Tensor Hidden) Layers()
    {
        var vocabulary = new GenerativeVocabulary(CodebookSizes, useUserToken: false, userHashBuckets: 1);
        torch.manual_seed(5);
        var whole = new LevelOutputLayer(8, vocabulary, GenerativeLossScope.WholeVocabulary);
        var perLevel = new LevelOutputLayer(8, vocabulary, GenerativeLossScope.Level);
        perLevel.load_state_dict(whole.state_dict()); // identical weights: only the normalization differs
        Tensor hidden = randn(6, 8, generator: new Generator(3)).Times(2.0);
        return (whole, perLevel, hidden);
    }

    private static double LogSumExp(double[] values)
    {
        double max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }
}
