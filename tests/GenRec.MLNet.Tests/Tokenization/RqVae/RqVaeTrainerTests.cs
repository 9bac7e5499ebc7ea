using FluentAssertions;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.RqVae;

public sealed class RqVaeTrainerTests
{
    private static readonly float[] Data = RqVaeTestData.Default(out _);

    private static RqVaeModel Train(RqVaeOptions options, out TrainingResult result, float[]? data = null) =>
        RqVaeTrainer.Train(new MLContext(seed: 1), data ?? Data, RqVaeTestData.Items, RqVaeTestData.Dimension, null, 0, options, out result);

    [Fact]
    public void TrainingLowersTheReconstructionLossAndCodesStayInRange()
    {
        using RqVaeModel early = Train(RqVaeTestData.SmallOptions(epochs: 1), out _);
        using RqVaeModel trained = Train(RqVaeTestData.SmallOptions(epochs: 40), out TrainingResult result);

        result.EpochsCompleted.Should().Be(40);
        trained.ReconstructionLoss.Should().BeLessThan(early.ReconstructionLoss * 0.7, "40 epochs must reconstruct much better than 1");
        trained.CodesBeforeResolution.Levels.Should().Be(3);
        trained.CodesBeforeResolution.CodebookSizes.Should().Equal(16, 16, 16);
        trained.CodesBeforeResolution.ItemCount.Should().Be(RqVaeTestData.Items);
        foreach (int code in trained.CodesBeforeResolution.AllCodes.ToArray())
        {
            code.Should().BeInRange(0, 15);
        }

        trained.QuantizedVectors.Should().HaveCount(RqVaeTestData.Items * 8);
        trained.QuantizedVectors.Should().OnlyContain(v => float.IsFinite(v));
        trained.CodeUtilization.Should().HaveCount(3);
        trained.CodeUtilization[0].Should().BeGreaterThan(0.5, "k-means initialization puts every code where data is");
    }

    [Fact]
    public void TheSameSeedGivesTheSameCodes()
    {
        using RqVaeModel first = Train(RqVaeTestData.SmallOptions(epochs: 5), out _);
        using RqVaeModel second = Train(RqVaeTestData.SmallOptions(epochs: 5), out _);
        RqVaeOptions otherSeed = RqVaeTestData.SmallOptions(epochs: 5);
        otherSeed.Seed = 12;
        using RqVaeModel third = Train(otherSeed, out _);

        second.CodesBeforeResolution.AllCodes.ToArray().Should().Equal(first.CodesBeforeResolution.AllCodes.ToArray());
        second.Codes.AllCodes.ToArray().Should().Equal(first.Codes.AllCodes.ToArray());
        second.QuantizedVectors.Should().Equal(first.QuantizedVectors);
        third.CodesBeforeResolution.AllCodes.ToArray().Should().NotEqual(first.CodesBeforeResolution.AllCodes.ToArray(), "a different seed is a different run");
    }

    [Fact]
    public void EncodingTheTrainingVectorsGivesTheCodesBeforeResolution()
    {
        using RqVaeModel model = Train(RqVaeTestData.SmallOptions(epochs: 5), out _);

        model.Encode(Data, RqVaeTestData.Items).AllCodes.ToArray().Should().Equal(model.CodesBeforeResolution.AllCodes.ToArray());
    }

    [Fact]
    public void SavedWeightsLoadIntoAnIdenticalTokenizer()
    {
        using RqVaeModel model = Train(RqVaeTestData.SmallOptions(epochs: 5), out _);
        byte[] weights = model.SaveWeights();
        float[] fresh = RqVaeTestData.Clustered(50, RqVaeTestData.Dimension, 12, 0.3, 99, out _);

        using RqVaeTokenizer loaded = RqVaeTokenizer.Load(weights, model.Hyperparameters);
        loaded.Encode(fresh, 50).AllCodes.ToArray().Should().Equal(model.Encode(fresh, 50).AllCodes.ToArray());
        loaded.GetCodebook(2).Should().Equal(model.Tokenizer.GetCodebook(2));

        using RqVaeModel restored = RqVaeModel.Load(weights, model.Hyperparameters, model.Codes, model.CodesBeforeResolution, model.Collisions, model.ReconstructionLoss);
        restored.QuantizedVectors.Should().Equal(model.QuantizedVectors);
        restored.Encode(Data, RqVaeTestData.Items).AllCodes.ToArray().Should().Equal(model.CodesBeforeResolution.AllCodes.ToArray());
    }

    [Fact]
    public void WeightsThatDoNotFitTheHyperparametersAreRejected()
    {
        using RqVaeModel model = Train(RqVaeTestData.SmallOptions(epochs: 1), out _);
        var other = new RqVaeHyperparameters
        {
            InputDimension = RqVaeTestData.Dimension,
            EncoderLayerSizes = new[] { 64 },
            CodeDimension = 8,
            Levels = 3,
            CodebookSize = 16,
        };

        Action load = () => RqVaeTokenizer.Load(model.SaveWeights(), other).Dispose();
        load.Should().Throw<ArgumentException>().WithMessage("*do not fit*");
        Action empty = () => RqVaeTokenizer.Load(Array.Empty<byte>(), model.Hyperparameters);
        empty.Should().Throw<ArgumentException>().WithMessage("*empty*");
    }

    [Fact]
    public void ValidationCanKeepTheEpochWithTheFewestCollisions()
    {
        RqVaeOptions options = RqVaeTestData.SmallOptions(epochs: 4);
        options.SelectEpochByCollisionRate = true;
        using RqVaeModel model = Train(options, out TrainingResult result);

        result.ValidationCurve.Should().HaveCount(4);
        result.BestValidationMetric.Should().NotBeNull();
        result.BestValidationMetric!.Value.Should().BeLessThanOrEqualTo(0);
        (-result.BestValidationMetric.Value).Should().BeApproximately(model.Collisions.CollisionRateBefore, 1e-12, "the kept weights are those of the best epoch");
    }
}
