using FluentAssertions;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.RqVae;

public sealed class RqVaeInputValidationTests
{
    private static Action Train(float[] data, int items, int dimension, float[]? cf = null, int cfDimension = 0, RqVaeOptions? options = null) =>
        () => RqVaeTrainer.Train(new MLContext(1), data, items, dimension, cf, cfDimension, options ?? RqVaeTestData.SmallOptions(epochs: 1), out _).Dispose();

    [Fact]
    public void ANonFiniteValueIsReportedWithItsRow()
    {
        float[] data = RqVaeTestData.Default(out _);
        data[5 * RqVaeTestData.Dimension + 3] = float.NaN;
        Train(data, RqVaeTestData.Items, RqVaeTestData.Dimension).Should().Throw<ArgumentException>().WithMessage("*row 5*").Which.ParamName.Should().Be("contentVectors");

        data[5 * RqVaeTestData.Dimension + 3] = 0;
        data[299 * RqVaeTestData.Dimension] = float.PositiveInfinity;
        Train(data, RqVaeTestData.Items, RqVaeTestData.Dimension).Should().Throw<ArgumentException>().WithMessage("*row 299*");
    }

    [Fact]
    public void HugeFiniteValuesAreAClearErrorInsteadOfALibTorchFailure()
    {
        // ×1e30 is finite in float32, but squared distances overflow to ∞ and k-means++ used to fail inside LibTorch.
        float[] huge = RqVaeTestData.Default(out _).Select(v => v * 1e30f).ToArray();

        Train(huge, RqVaeTestData.Items, RqVaeTestData.Dimension).Should().Throw<ArgumentException>()
            .WithMessage("*content vector of row 0 is too large*overflow single precision*").Which.ParamName.Should().Be("contentVectors");
        FluentActions.Invoking(() => GenRec.MLNet.Tokenization.MaskedKWay.KWayInput.Check(huge, RqVaeTestData.Items, RqVaeTestData.Dimension, "vectors"))
            .Should().Throw<ArgumentException>().WithMessage("*input vector of row 0 is too large*");
    }

    [Fact]
    public void KMeansOnPointsWhoseDistancesOverflowSaysSo()
    {
        using var points = TorchSharp.torch.tensor(new float[] { 1e30f, 0, -1e30f, 0, 0, 1e30f, 0, -1e30f }, new long[] { 4, 2 });
        using var generator = new TorchSharp.torch.Generator(1);

        FluentActions.Invoking(() => KMeans.Fit(points, 2, 3, generator)).Should().Throw<InvalidOperationException>().WithMessage("*overflow single precision*");
    }

    [Fact]
    public void ALengthThatDoesNotMatchTheSizesIsRejected()
    {
        float[] data = RqVaeTestData.Default(out _);
        Train(data, RqVaeTestData.Items, RqVaeTestData.Dimension + 1).Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
        Train(data.Take(data.Length - 1).ToArray(), RqVaeTestData.Items, RqVaeTestData.Dimension).Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
    }

    [Fact]
    public void EmptyInputAndTooFewItemsForTheCodebookAreRejected()
    {
        Train(Array.Empty<float>(), 0, RqVaeTestData.Dimension).Should().Throw<ArgumentException>().WithMessage("No items*");
        float[] few = RqVaeTestData.Clustered(10, RqVaeTestData.Dimension, 3, 0.3, 1, out _);
        Train(few, 10, RqVaeTestData.Dimension).Should().Throw<ArgumentException>().WithMessage("*fewer than CodebookSize (16)*");
    }

    [Fact]
    public void CollaborativeEmbeddingsAreCheckedWhenGivenAndTheirWeightIsPositive()
    {
        float[] data = RqVaeTestData.Default(out _);
        RqVaeOptions options = RqVaeTestData.SmallOptions(epochs: 1);
        options.CollaborativeWeight = 0.1;
        var cf = new float[RqVaeTestData.Items * 4];
        cf[7 * 4 + 1] = float.NaN;
        Train(data, RqVaeTestData.Items, RqVaeTestData.Dimension, cf, 4, options).Should().Throw<ArgumentException>().WithMessage("*CF embedding of row 7*").Which.ParamName.Should().Be("cfEmbeddings");
        Train(data, RqVaeTestData.Items, RqVaeTestData.Dimension, cf, 5, options).Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
    }

    [Fact]
    public void TheDefaultsAreLettersRecipeWithBothRegularizersOn()
    {
        var options = new RqVaeOptions();
        (options.Levels, options.CodebookSize, options.CodeDimension).Should().Be((4, 256, 32));
        options.CollaborativeWeight.Should().Be(0.02);
        (options.DiversityWeight, options.DiversityClusters).Should().Be((1e-4, 10));
        options.CollisionHandling.Should().Be(CollisionHandling.SinkhornReassign);
        options.Invoking(o => o.Validate()).Should().NotThrow();
    }

    [Fact]
    public void APositiveCollaborativeWeightWithoutCfEmbeddingsTrainsWithoutTheRegularizerAndSaysSo()
    {
        // The weight is on by default, so a tokenizer without a CF column must still train: the regularizer is skipped
        // and the log says why. The result must equal a run with the weight at 0.
        float[] data = RqVaeTestData.Default(out _);
        RqVaeOptions weighted = RqVaeTestData.SmallOptions(epochs: 3);
        weighted.CollaborativeWeight = 0.1;
        RqVaeOptions plain = RqVaeTestData.SmallOptions(epochs: 3);
        var ml = new MLContext(1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) { lock (warnings) { warnings.Add(e.Message); } } };

        using RqVaeModel withWeight = RqVaeTrainer.Train(ml, data, RqVaeTestData.Items, RqVaeTestData.Dimension, null, 0, weighted, out _);
        using RqVaeModel withoutWeight = RqVaeTrainer.Train(new MLContext(1), data, RqVaeTestData.Items, RqVaeTestData.Dimension, null, 0, plain, out _);

        warnings.Should().ContainSingle(m => m.Contains("CollaborativeWeight is 0.1 but no CF embeddings were given") && m.Contains("CollaborativeColumnName"));
        withWeight.Codes.AllCodes.ToArray().Should().Equal(withoutWeight.Codes.AllCodes.ToArray());
    }

    [Fact]
    public void TheDiversityRegularizerUsesAtMostHalfTheCodebookAsClustersAndSaysSo()
    {
        // LETTER's 10 clusters need a codebook of at least 20 codes; a smaller codebook (the README's 16) trains with
        // CodebookSize / 2 clusters instead of failing, so the default regularizer never blocks a small tokenizer.
        RqVaeOptions options = RqVaeTestData.SmallOptions(epochs: 2);
        options.DiversityWeight = 1e-4;
        options.DiversityClusters = 10;
        options.Invoking(o => o.Validate()).Should().NotThrow();
        options.EffectiveDiversityClusters.Should().Be(8);
        var ml = new MLContext(1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) { lock (warnings) { warnings.Add(e.Message); } } };

        using RqVaeModel model = RqVaeTrainer.Train(ml, RqVaeTestData.Default(out _), RqVaeTestData.Items, RqVaeTestData.Dimension, null, 0, options, out _);

        warnings.Should().ContainSingle(m => m.Contains("DiversityClusters is 10") && m.Contains("uses 8"));
        model.Codes.ItemCount.Should().Be(RqVaeTestData.Items);
    }

    [Theory]
    [InlineData(nameof(RqVaeOptions.CodebookSize))]
    [InlineData(nameof(RqVaeOptions.EncoderLayerSizes))]
    [InlineData(nameof(RqVaeOptions.Dropout))]
    [InlineData(nameof(RqVaeOptions.DiversityClusters))]
    [InlineData(nameof(RqVaeOptions.CollaborativeTemperature))]
    [InlineData(nameof(RqVaeOptions.Levels))]
    public void InvalidOptionsNameTheField(string field)
    {
        RqVaeOptions options = RqVaeTestData.SmallOptions();
        switch (field)
        {
            case nameof(RqVaeOptions.CodebookSize): options.CodebookSize = 1; break;
            case nameof(RqVaeOptions.EncoderLayerSizes): options.EncoderLayerSizes = new[] { 8, 0 }; break;
            case nameof(RqVaeOptions.Dropout): options.Dropout = 1; break;
            case nameof(RqVaeOptions.DiversityClusters): options.DiversityWeight = 1e-4; options.DiversityClusters = 0; break;
            case nameof(RqVaeOptions.CollaborativeTemperature): options.CollaborativeTemperature = 0; break;
            case nameof(RqVaeOptions.Levels): options.Levels = 0; break;
        }

        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().Which.ParamName.Should().Be(field);
    }

    [Fact]
    public void EncodeChecksItsInput()
    {
        using RqVaeModel model = RqVaeTrainer.Train(new MLContext(1), RqVaeTestData.Default(out _), RqVaeTestData.Items, RqVaeTestData.Dimension, null, 0, RqVaeTestData.SmallOptions(epochs: 1), out _);
        var vectors = new float[3 * RqVaeTestData.Dimension];
        vectors[2 * RqVaeTestData.Dimension] = float.NaN;

        model.Invoking(m => m.Encode(vectors, 3)).Should().Throw<ArgumentException>().WithMessage("*row 2*");
        model.Invoking(m => m.Encode(vectors, 4)).Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
        model.Encode(Array.Empty<float>(), 0).ItemCount.Should().Be(0);
    }
}
