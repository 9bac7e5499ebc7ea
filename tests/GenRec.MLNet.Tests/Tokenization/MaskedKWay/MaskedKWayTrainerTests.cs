using FluentAssertions;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tests.Training;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.MaskedKWay;

public sealed class MaskedKWayTrainerTests
{
    private const int Count = 200;
    private const int Dimension = 16;
    private const int Clusters = 4;

    [Fact]
    public void MinimumTrainingStepsRaisesTheEpochsOfSmallTables()
    {
        float[] vectors = ClusteredVectors(out _);
        // 200 vectors at batch 64 are 4 steps per epoch: 2 epochs are 8 steps.
        MaskedKWayOptions raised = TinyOptions(epochs: 2);
        raised.MinimumTrainingSteps = 18;
        MaskedKWayOptions enough = TinyOptions(epochs: 2);
        enough.MinimumTrainingSteps = 8;

        using (MaskedKWayTrainer.Train(new MLContext(1), vectors, Count, Dimension, raised, out TrainingResult raisedResult))
        using (MaskedKWayTrainer.Train(new MLContext(1), vectors, Count, Dimension, enough, out TrainingResult enoughResult))
        {
            (raisedResult.EpochsCompleted, raisedResult.Steps).Should().Be((5, 20L), "ceil(18 / 4) = 5 epochs of 4 steps");
            (enoughResult.EpochsCompleted, enoughResult.Steps).Should().Be((2, 8L), "2 epochs already make 8 steps");
        }

        raised.NumberOfEpochs.Should().Be(2, "the caller's options are not changed");
        enough.ForTable(Count).Should().BeSameAs(enough);
        new MaskedKWayOptions().ForTable(12_800).NumberOfEpochs.Should().Be(100, "50 steps per epoch: the default 100 epochs already make 5,000");
        new MaskedKWayOptions().ForTable(1_090).NumberOfEpochs.Should().Be(1000, "Last.fm's users: 5 steps per epoch at batch 256");
    }

    [Fact]
    public void TrainingLowersTheReconstructionError()
    {
        float[] vectors = ClusteredVectors(out _);
        var losses = new List<double>();
        var options = TinyOptions(epochs: 1);
        using MaskedKWayModel barelyTrained = Train(vectors, options);
        options = TinyOptions(epochs: 20);
        options.LogEveryNSteps = 1;
        options.Progress = new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss));
        using MaskedKWayModel trained = Train(vectors, options);

        trained.TrainingReconstructionError.Should().BeLessThan(0.7 * barelyTrained.TrainingReconstructionError!.Value);
        trained.ReconstructionError(vectors, Count).Should().BeApproximately(trained.TrainingReconstructionError!.Value, 1e-6);
        losses.TakeLast(4).Average().Should().BeLessThan(0.5 * losses.Take(4).Average(), "the training loss (reconstruction + quantization) must fall");
    }

    [Fact]
    public void ReconstructionFromTheCodesIsWhatTheReconstructionErrorMeasures()
    {
        float[] vectors = ClusteredVectors(out _);
        using MaskedKWayModel model = Train(vectors, TinyOptions(epochs: 20));

        float[] decoded = model.Reconstruct(model.Encode(vectors, Count));

        decoded.Should().HaveCount(Count * Dimension);
        double meanSquared = decoded.Zip(vectors, (d, v) => (double)(d - v) * (d - v)).Sum() / (Count * Dimension);
        meanSquared.Should().BeApproximately(model.ReconstructionError(vectors, Count), 1e-5);
        double meanSquaredOfInput = vectors.Sum(v => (double)v * v) / (Count * Dimension);
        meanSquared.Should().BeLessThan(0.5 * meanSquaredOfInput, "the decoded vectors must be near their inputs, not near zero");
    }

    [Fact]
    public void EncodingIsDeterministicBecauseMaskingIsTrainingOnly()
    {
        float[] vectors = ClusteredVectors(out _);
        var options = TinyOptions(epochs: 3);
        options.MaskRatio = 0.5; // heavy masking: any leak into inference would change codes between calls

        using MaskedKWayModel model = Train(vectors, options);
        SemanticIdTable first = model.Encode(vectors, Count);
        SemanticIdTable second = model.Encode(vectors, Count);

        second.AllCodes.ToArray().Should().Equal(first.AllCodes.ToArray());
        first.AllCodes.ToArray().Should().Equal(model.Codes.AllCodes.ToArray(), "the training IDs are encoded the same unmasked way");
    }

    [Fact]
    public void CodesHaveOneInRangeCodePerWay()
    {
        float[] vectors = ClusteredVectors(out _);
        using MaskedKWayModel model = Train(vectors, TinyOptions(epochs: 3));

        SemanticIdTable codes = model.Codes;
        codes.ItemCount.Should().Be(Count);
        codes.Levels.Should().Be(3);
        codes.CodebookSizes.Should().AllSatisfy(size => size.Should().Be(8));
        codes.AllCodes.ToArray().Should().OnlyContain(code => code >= 0 && code < 8);
        model.WayUtilization.Should().HaveCount(3).And.OnlyContain(u => u > 0 && u <= 1);
        model.UniqueIdRate.Should().BeInRange(0, 1);
    }

    [Fact]
    public void SameSeedGivesTheSameCodes()
    {
        float[] vectors = ClusteredVectors(out _);
        using MaskedKWayModel first = Train(vectors, TinyOptions(epochs: 3));
        using MaskedKWayModel second = Train(vectors, TinyOptions(epochs: 3));
        MaskedKWayOptions otherSeed = TinyOptions(epochs: 3);
        otherSeed.Seed = 12;
        using MaskedKWayModel third = Train(vectors, otherSeed);

        second.Codes.AllCodes.ToArray().Should().Equal(first.Codes.AllCodes.ToArray());
        second.TrainingReconstructionError.Should().Be(first.TrainingReconstructionError);
        third.SaveWeights().Should().NotEqual(first.SaveWeights(), "a different seed is a different run");
    }

    [Fact]
    public void SavedWeightsReloadToTheSameEncoder()
    {
        float[] vectors = ClusteredVectors(out _);
        using MaskedKWayModel model = Train(vectors, TinyOptions(epochs: 3));
        byte[] weights = model.SaveWeights();

        using MaskedKWayModel loaded = MaskedKWayModel.Load(weights, model.Hyperparameters);
        loaded.Encode(vectors, Count).AllCodes.ToArray().Should().Equal(model.Codes.AllCodes.ToArray());
        loaded.ReconstructionError(vectors, Count).Should().Be(model.ReconstructionError(vectors, Count));
        loaded.HasCodes.Should().BeFalse();
        loaded.Invoking(m => m.Codes).Should().Throw<InvalidOperationException>().WithMessage("*Load*");

        using MaskedKWayModel withCodes = MaskedKWayModel.Load(weights, model.Hyperparameters, model.Codes);
        withCodes.Codes.Should().BeSameAs(model.Codes);

        var wrongShape = new MaskedKWayHyperparameters
        {
            InputDimension = Dimension, Ways = 3, CodebookSize = 16, CodeDimension = 8, EncoderLayerSizes = new[] { 32, 32 },
        };
        FluentActions.Invoking(() => MaskedKWayModel.Load(weights, wrongShape)).Should().Throw<ArgumentException>().WithParameterName("weights");
    }

    [Fact]
    public void BadInputFailsWithClearArgumentErrors()
    {
        var context = new MLContext(1);
        float[] good = ClusteredVectors(out _);
        var options = TinyOptions(epochs: 1);

        float[] nan = (float[])good.Clone();
        nan[7 * Dimension + 3] = float.NaN;
        Train(nan).Should().Throw<ArgumentException>().WithMessage("Row 7 *NaN*");
        float[] infinite = (float[])good.Clone();
        infinite[150 * Dimension] = float.PositiveInfinity;
        Train(infinite).Should().Throw<ArgumentException>().WithMessage("Row 150 *");
        FluentActions.Invoking(() => MaskedKWayTrainer.Train(context, good, Count, Dimension + 1, options, out _))
            .Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
        FluentActions.Invoking(() => MaskedKWayTrainer.Train(context, Array.Empty<float>(), 0, Dimension, options, out _))
            .Should().Throw<ArgumentException>().WithMessage("No input vectors*");
        FluentActions.Invoking(() => MaskedKWayTrainer.Train(context, good.AsSpan(0, 5 * Dimension).ToArray(), 5, Dimension, options, out _))
            .Should().Throw<ArgumentException>().WithMessage("*fewer than CodebookSize*");

        using MaskedKWayModel model = MaskedKWayTrainer.Train(context, good, Count, Dimension, options, out _);
        model.Invoking(m => m.Encode(new float[Dimension + 1], 1)).Should().Throw<ArgumentException>().WithMessage("Dimension mismatch*");
        model.Invoking(m => m.Encode(nan, Count)).Should().Throw<ArgumentException>().WithMessage("Row 7 *");

        Func<MaskedKWayModel> Train(float[] vectors) => () => MaskedKWayTrainer.Train(context, vectors, Count, Dimension, options, out _);
    }

    [Theory]
    [InlineData(nameof(MaskedKWayOptions.Ways))]
    [InlineData(nameof(MaskedKWayOptions.CodebookSize))]
    [InlineData(nameof(MaskedKWayOptions.MaskRatio))]
    [InlineData(nameof(MaskedKWayOptions.CommitmentWeight))]
    [InlineData(nameof(MaskedKWayOptions.DeadCodeResetSteps))]
    [InlineData(nameof(MaskedKWayOptions.MinimumTrainingSteps))]
    [InlineData(nameof(MaskedKWayOptions.EncoderLayerSizes))]
    public void ValidateNamesTheBadField(string field)
    {
        var options = new MaskedKWayOptions();
        switch (field)
        {
            case nameof(MaskedKWayOptions.Ways): options.Ways = 0; break;
            case nameof(MaskedKWayOptions.CodebookSize): options.CodebookSize = 1; break;
            case nameof(MaskedKWayOptions.MaskRatio): options.MaskRatio = 1.0; break;
            case nameof(MaskedKWayOptions.CommitmentWeight): options.CommitmentWeight = double.NaN; break;
            case nameof(MaskedKWayOptions.DeadCodeResetSteps): options.DeadCodeResetSteps = -1; break;
            case nameof(MaskedKWayOptions.MinimumTrainingSteps): options.MinimumTrainingSteps = -1; break;
            default: options.EncoderLayerSizes = new[] { 16, 0 }; break;
        }

        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().Which.ParamName.Should().Be(field);
    }

    [Fact]
    public void VectorsOfTheSameClusterShareCodesFarMoreOftenThanOthers()
    {
        float[] vectors = ClusteredVectors(out int[] cluster);
        using MaskedKWayModel model = Train(vectors, TinyOptions(epochs: 10));

        // Per-way agreement: over all pairs and ways, how often two vectors get the same code.
        SemanticIdTable codes = model.Codes;
        long sameAgree = 0, samePairs = 0, otherAgree = 0, otherPairs = 0;
        for (int a = 0; a < Count; a++)
        {
            for (int b = a + 1; b < Count; b++)
            {
                int agree = 0;
                for (int way = 0; way < codes.Levels; way++)
                {
                    agree += codes[a][way] == codes[b][way] ? 1 : 0;
                }

                if (cluster[a] == cluster[b]) { sameAgree += agree; samePairs += codes.Levels; }
                else { otherAgree += agree; otherPairs += codes.Levels; }
            }
        }

        double same = sameAgree / (double)samePairs, other = otherAgree / (double)otherPairs;
        same.Should().BeGreaterThan(0.3);
        same.Should().BeGreaterThan(5 * other, $"same-cluster agreement {same:F3} vs cross-cluster {other:F3}");
    }

    [Fact]
    public void DeadCodeResetRevivesUnusedCodes()
    {
        float[] vectors = ClusteredVectors(out _);
        // Uniform tiny codes with no k-means start: most codes never win, which the reset must repair.
        var plain = TinyOptions(epochs: 8);
        plain.KMeansInit = false;
        plain.DeadCodeResetSteps = 0;
        var reset = TinyOptions(epochs: 8);
        reset.KMeansInit = false;
        reset.DeadCodeResetSteps = 2;

        using MaskedKWayModel without = Train(vectors, plain);
        using MaskedKWayModel with = Train(vectors, reset);

        with.WayUtilization.Average().Should().BeGreaterThan(without.WayUtilization.Average());
    }

    private static MaskedKWayModel Train(float[] vectors, MaskedKWayOptions options) =>
        MaskedKWayTrainer.Train(new MLContext(1), vectors, Count, Dimension, options, out _);

    private static MaskedKWayOptions TinyOptions(int epochs) => new()
    {
        Ways = 3,
        CodebookSize = 8,
        CodeDimension = 8,
        EncoderLayerSizes = new[] { 32, 32 },
        NumberOfEpochs = epochs,
        MinimumTrainingSteps = 0, // exactly these epochs (MinimumTrainingStepsRaisesTheEpochsOfSmallTables tests the minimum)
        BatchSize = 64,
        LearningRate = 3e-3,
        KMeansIterations = 10,
        Device = TorchDeviceKind.Cpu,
        Seed = 11,
    };

    /// <summary>
    /// Count vectors around <see cref="Clusters"/> far-apart centers (center scale 0.3, noise 0.02: the value range of CF
    /// embeddings, the tokenizer's real input); <paramref name="cluster"/> gives each row's center.
    /// </summary>
    private static float[] ClusteredVectors(out int[] cluster)
    {
        var random = new Random(5);
        var centers = new float[Clusters * Dimension];
        for (int i = 0; i < centers.Length; i++)
        {
            centers[i] = (float)(0.3 * Gaussian(random));
        }

        cluster = new int[Count];
        var vectors = new float[Count * Dimension];
        for (int row = 0; row < Count; row++)
        {
            cluster[row] = row % Clusters;
            for (int f = 0; f < Dimension; f++)
            {
                vectors[row * Dimension + f] = centers[cluster[row] * Dimension + f] + (float)(0.02 * Gaussian(random));
            }
        }

        return vectors;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
