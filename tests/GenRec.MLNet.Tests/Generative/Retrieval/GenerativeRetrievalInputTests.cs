using FluentAssertions;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using TorchSharp;
using Xunit;
using Sample = GenRec.MLNet.Tests.Generative.Retrieval.RetrievalTestData;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>Input checks and the loss formula; nothing here trains a model (the shared sample's codes are read only).</summary>
[Collection(RetrievalSampleCollection.Name)]
public sealed class GenerativeRetrievalInputTests
{
    private readonly RetrievalSample _sample;

    public GenerativeRetrievalInputTests(RetrievalSample sample) => _sample = sample;

    /// <summary>Unit item vectors e0 = x, e1 = y, e2 along (x + y), e3 = −x, the loss tests' catalog.</summary>
    private static torch.Tensor FourUnitItems() =>
        torch.nn.functional.normalize(torch.tensor(new float[] { 1, 0, 0, 1, 1, 1, -1, 0 }, new long[] { 4, 2 }), p: 2, dim: -1);

    [Fact]
    public void PairLossFollowsTokenRecsFormula()
    {
        using var scope = torch.NewDisposeScope();
        // Items: e0 = x, e1 = y, e2 = (x + y)/√2 direction, e3 = −x.
        var items = FourUnitItems();
        var prompts = torch.tensor(new float[] { 2, 0 }, new long[] { 1, 2 }); // u along x (length does not matter)
        var pairPrompt = torch.tensor(new long[] { 0, 0, 0 });
        var positives = torch.tensor(new long[] { 0, 1, 3 });
        var negatives = torch.tensor(new long[] { 2, 3, 2 });

        // Pair 1: 1 − 1 + max(0, 0.7071 − 0.1); pair 2: 1 − 0 + max(0, −1 − 0.1); pair 3: 1 + 1 + 0.6071.
        double expected = ((0.70711 - 0.1) + 1.0 + (2.0 + 0.70711 - 0.1)) / 3;
        RetrievalPairLoss.Compute(prompts, pairPrompt, positives, negatives, 1, items, 0.1).item<float>().Should().BeApproximately((float)expected, 1e-4f);
        RetrievalPairLoss.Compute(prompts, pairPrompt, positives, negatives, 0, items, 0.1).item<float>().Should().BeApproximately(1f, 1e-4f);
    }

    [Fact]
    public void SoftmaxLossIsCrossEntropyOverEveryItemsCosine()
    {
        using var scope = torch.NewDisposeScope();
        // The same items; u along x has cosines (1, 0, 0.7071, −1) with them.
        var items = FourUnitItems();
        var prompts = torch.tensor(new float[] { 2, 0 }, new long[] { 1, 2 });
        var pairPrompt = torch.tensor(new long[] { 0, 0 });
        var positives = torch.tensor(new long[] { 0, 3 });
        double[] cosines = { 1, 0, Math.Sqrt(0.5), -1 };
        foreach (double temperature in new[] { 1.0, 0.1 })
        {
            double logSum = Math.Log(cosines.Sum(c => Math.Exp(c / temperature)));
            double expected = ((logSum - (1 / temperature)) + (logSum + (1 / temperature))) / 2; // −log p(item 0), −log p(item 3)

            RetrievalPairLoss.ComputeSoftmax(prompts, pairPrompt, positives, items, RetrievalSimilarity.Cosine, temperature).item<float>().Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void SoftmaxLossLeavesExcludedItemsOutOfTheNormalization()
    {
        using var scope = torch.NewDisposeScope();
        var items = FourUnitItems();
        var prompts = torch.tensor(new float[] { 2, 0 }, new long[] { 1, 2 });
        var pairPrompt = torch.tensor(new long[] { 0, 0 });
        var positives = torch.tensor(new long[] { 3, 0 });
        double[] cosines = { 1, 0, Math.Sqrt(0.5), -1 };
        const double temperature = 0.5;

        // Pair 0 (positive 3) leaves items 0 and 2 out; pair 1 (positive 0) leaves item 2 out. Flat index = pair × 4 + item.
        var excluded = torch.tensor(new long[] { 0, 2, 4 + 2 });
        double pair0 = Math.Log(Math.Exp(cosines[1] / temperature) + Math.Exp(cosines[3] / temperature)) - (cosines[3] / temperature);
        double pair1 = Math.Log(Math.Exp(cosines[0] / temperature) + Math.Exp(cosines[1] / temperature) + Math.Exp(cosines[3] / temperature)) - (cosines[0] / temperature);

        RetrievalPairLoss.ComputeSoftmax(prompts, pairPrompt, positives, items, RetrievalSimilarity.Cosine, temperature, excluded).item<float>()
            .Should().BeApproximately((float)((pair0 + pair1) / 2), 1e-4f);
        // Control: without the exclusions the same pairs cost more (the excluded items had the highest cosines).
        RetrievalPairLoss.ComputeSoftmax(prompts, pairPrompt, positives, items, RetrievalSimilarity.Cosine, temperature).item<float>()
            .Should().BeGreaterThan((float)((pair0 + pair1) / 2) + 0.1f);
    }

    [Fact]
    public void BadInputsFailWithClearErrors()
    {
        var ml = new MLContext(1);
        var options = Sample.Tiny(epochs: 1);
        float[] embeddings = _sample.ItemEmbeddings;
        int d = Sample.CfDimension;
        IReadOnlyList<int[]> train = Sample.TrainSets;

        Action Train(SemanticIdTable? users, SemanticIdTable? items, float[] e, int dimension, IReadOnlyList<int[]> sets) =>
            () => GenerativeRetrievalTrainer.Train(ml, users, items, e, dimension, sets, null, options, out _);

        Train(_sample.UserCodes, _sample.ItemCodes, embeddings, d + 3, train).Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
        float[] nan = (float[])embeddings.Clone();
        nan[5 * d + 2] = float.NaN;
        Train(_sample.UserCodes, _sample.ItemCodes, nan, d, train).Should().Throw<ArgumentException>().WithMessage("Row 5 *NaN*");
        Train(_sample.UserCodes, _sample.ItemCodes, Array.Empty<float>(), d, train).Should().Throw<ArgumentException>().WithMessage("No CF item embeddings*");
        Train(null, _sample.ItemCodes, embeddings, d, train).Should().Throw<ArgumentNullException>().WithParameterName("userCodes");
        Train(_sample.UserCodes, null, embeddings, d, train).Should().Throw<ArgumentNullException>().WithParameterName("itemCodes");

        var fewUsers = new SemanticIdTable(Enumerable.Range(0, 10).Select(u => _sample.UserCodes.GetCodes(u)).ToArray(), _sample.UserCodes.CodebookSizes);
        Train(fewUsers, _sample.ItemCodes, embeddings, d, train).Should().Throw<ArgumentException>().WithParameterName("userCodes").WithMessage("*covers 10 users*");
        float[] fewerItems = embeddings.Take((Sample.ItemCount - 1) * d).ToArray();
        var trimmedSets = train.Select(s => s.Where(i => i < Sample.ItemCount - 1).ToArray()).ToArray();
        Train(_sample.UserCodes, _sample.ItemCodes, fewerItems, d, trimmedSets).Should().Throw<ArgumentException>().WithParameterName("itemCodes");
        var badSets = train.ToArray();
        badSets[3] = new[] { 0, Sample.ItemCount };
        Train(_sample.UserCodes, _sample.ItemCodes, embeddings, d, badSets).Should().Throw<ArgumentOutOfRangeException>().WithMessage("User 3 has item index*");
        Train(_sample.UserCodes, _sample.ItemCodes, embeddings, d, train.Select(_ => Array.Empty<int>()).ToArray()).Should().Throw<ArgumentException>().WithMessage("No user has a training item*");
    }

    [Theory]
    [InlineData(nameof(GenerativeRetrievalOptions.Heads))]
    [InlineData(nameof(GenerativeRetrievalOptions.Dropout))]
    [InlineData(nameof(GenerativeRetrievalOptions.MaxHistoryLength))]
    [InlineData(nameof(GenerativeRetrievalOptions.Margin))]
    [InlineData(nameof(GenerativeRetrievalOptions.NegativesPerPositive))]
    [InlineData(nameof(GenerativeRetrievalOptions.PositivesPerPrompt))]
    [InlineData(nameof(GenerativeRetrievalOptions.ProjectionHiddenSizes))]
    [InlineData(nameof(GenerativeRetrievalOptions.UseUserTokens))]
    [InlineData(nameof(GenerativeRetrievalOptions.BatchSize))]
    public void OptionsValidationNamesTheBadField(string field)
    {
        var options = new GenerativeRetrievalOptions();
        options.Validate();
        switch (field)
        {
            case nameof(options.Heads): options.Heads = 3; break; // 128 is not divisible by 3
            case nameof(options.Dropout): options.Dropout = 1.0; break;
            case nameof(options.MaxHistoryLength): options.MaxHistoryLength = 0; break;
            case nameof(options.Margin): options.Margin = double.NaN; break;
            case nameof(options.NegativesPerPositive): options.NegativesPerPositive = -1; break;
            case nameof(options.PositivesPerPrompt): options.PositivesPerPrompt = 0; break;
            case nameof(options.ProjectionHiddenSizes): options.ProjectionHiddenSizes = new[] { 64, 0 }; break;
            case nameof(options.UseUserTokens): options.UseUserTokens = false; options.UseHistoryTokens = false; break;
            case nameof(options.BatchSize): options.BatchSize = 0; break;
        }

        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().Which.ParamName.Should().Be(field);
    }

    [Fact]
    public void CloneOwnsItsArrays()
    {
        var options = new GenerativeRetrievalOptions();
        GenerativeRetrievalOptions copy = options.Clone();
        copy.ProjectionHiddenSizes[0] = 7;
        options.ProjectionHiddenSizes[0].Should().Be(256);
    }
}
