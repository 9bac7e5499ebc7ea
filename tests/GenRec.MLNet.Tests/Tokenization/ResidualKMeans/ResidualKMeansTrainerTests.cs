using FluentAssertions;
using GenRec.MLNet.Tests.Learning;
using GenRec.MLNet.Tests.Tokenization.RqVae;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Tokenization.ResidualKMeans;

/// <summary>The residual k-means tokenizer on in-memory vectors: known answers, planted structure, seeds, fusion, bad input.</summary>
public sealed class ResidualKMeansTrainerTests(ITestOutputHelper output)
{
    private static ResidualKMeansOptions Options(int levels = 3, int codebookSize = 16, int seed = 11) => new()
    {
        Levels = levels, CodebookSize = codebookSize, KMeansIterations = 20, Seed = seed,
    };

    private static ResidualKMeansModel Train(float[] content, int items, int dimension, ResidualKMeansOptions options, float[]? cf = null, int cfDimension = 0) =>
        ResidualKMeansTrainer.Train(new MLContext(seed: 1), content, items, dimension, cf, cfDimension, options);

    [Fact]
    public void OneDimensionalPointsGiveTheHandComputedCentroidsCodesAndResiduals()
    {
        // Two pairs: k-means with k = 2 finds the pair means 0.1 and 10.1 (from any seeding), leaving residuals ±0.1,
        // which the second level's two centroids -0.1 and 0.1 explain exactly.
        float[] points = { 0f, 0.2f, 10f, 10.2f };
        using ResidualKMeansModel model = Train(points, 4, 1, Options(levels: 2, codebookSize: 2));

        model.GetCentroids(0).OrderBy(c => c).Should().Equal(new[] { 0.1f, 10.1f }, (a, b) => Math.Abs(a - b) < 1e-5);
        model.GetCentroids(1).OrderBy(c => c).Should().Equal(new[] { -0.1f, 0.1f }, (a, b) => Math.Abs(a - b) < 1e-5);
        SemanticIdTable codes = model.Codes;
        codes.Levels.Should().Be(3, "ExtraLevel always appends TIGER's numbering level");
        codes.CodebookSizes.Should().Equal(2, 2, 1);
        Enumerable.Range(0, 4).Select(i => codes[i][2]).Should().OnlyContain(c => c == 0, "no two items share an ID");
        codes[0][0].Should().Be(codes[1][0]);
        codes[2][0].Should().Be(codes[3][0]);
        codes[0][0].Should().NotBe(codes[2][0]);
        codes[0][1].Should().Be(codes[2][1], "0 and 10 are both 0.1 below their pair's mean");
        codes[1][1].Should().Be(codes[3][1]);
        codes[0][1].Should().NotBe(codes[1][1]);
        model.GetCentroids(0)[codes[0][0]].Should().BeApproximately(0.1f, 1e-5f);
        model.GetCentroids(1)[codes[0][1]].Should().BeApproximately(-0.1f, 1e-5f);
        model.QuantizedVectors(codes).Should().Equal(points, (a, b) => Math.Abs(a - b) < 1e-5, "two levels reconstruct every point");
        model.ResidualErrors[0].Should().BeApproximately(0.01, 1e-6, "every residual after level 1 is ±0.1");
        model.ResidualErrors[1].Should().BeLessThan(1e-10);
        model.Collisions.CollisionRateBefore.Should().Be(0);
    }

    [Fact]
    public void ItemsWithTheSameVectorAreToldApartByAnExtraLevel()
    {
        // Items 1 and 4 are the same point, so they get the same nearest centroids on every level.
        float[] points = { 0f, 0.2f, 10f, 10.2f, 0.2f };
        using ResidualKMeansModel model = Train(points, 5, 1, Options(levels: 2, codebookSize: 2));

        model.Collisions.CollisionRateBefore.Should().BeApproximately(0.2, 1e-12);
        model.CodesBeforeResolution[1].ToArray().Should().Equal(model.CodesBeforeResolution[4].ToArray());
        model.Codes.Levels.Should().Be(3);
        model.Codes.CodebookSizes.Should().Equal(2, 2, 2);
        new[] { model.Codes[1][2], model.Codes[4][2] }.Should().Equal(0, 1);
        Enumerable.Range(0, 5).Select(i => string.Join(",", model.Codes[i].ToArray())).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void FirstLevelFindsPlantedClustersAtLeastAsWellAsTheRqVae()
    {
        float[][] rows = PlantedClustersTask.ContentVectors(seed: 31);
        float[] content = rows.SelectMany(r => r).ToArray();
        int items = PlantedClustersTask.ItemCount, dimension = PlantedClustersTask.Dimension;
        int[] clusters = Enumerable.Range(0, items).Select(PlantedClustersTask.ClusterOf).ToArray();
        using ResidualKMeansModel kMeans = Train(content, items, dimension, Options());
        // The RQ-VAE of PlantedClustersTests, on the same vectors.
        var rqVaeOptions = new RqVaeOptions
        {
            Levels = 3, CodebookSize = 16, CodeDimension = 8, EncoderLayerSizes = [32], CollaborativeWeight = 0, DiversityWeight = 0,
            NumberOfEpochs = 8, BatchSize = 32, LearningRate = 3e-3, KMeansIterations = 10, CollisionHandling = CollisionHandling.ExtraLevel,
            Seed = 11, Device = TorchDeviceKind.Cpu, LogEveryNSteps = 10_000,
        };
        using RqVaeModel rqVae = RqVaeTrainer.Train(new MLContext(seed: 1), content, items, dimension, null, 0, rqVaeOptions, out _);

        double kMeansPurity = PlantedClustersTask.Purity(FirstLevel(kMeans.Codes), clusters);
        double rqVaePurity = PlantedClustersTask.Purity(FirstLevel(rqVae.Codes), clusters);
        var random = new Random(41);
        double chance = Enumerable.Range(0, 200).Average(_ => PlantedClustersTask.Purity(FirstLevel(kMeans.Codes), clusters.OrderBy(__ => random.Next()).ToArray()));
        output.WriteLine($"first-level purity: residual k-means {kMeansPurity:F4}, RQ-VAE {rqVaePurity:F4}, shuffled labels {chance:F4}");

        kMeansPurity.Should().BeGreaterThan(0.95, $"8 far-apart clusters and 16 centroids; shuffled labels give {chance:F4}");
        kMeansPurity.Should().BeGreaterThanOrEqualTo(rqVaePurity);
    }

    [Fact]
    public void TheSameSeedRepeatsTheCodesAndAnotherSeedChangesThem()
    {
        float[] content = RqVaeTestData.Default(out _);
        using ResidualKMeansModel first = Train(content, RqVaeTestData.Items, RqVaeTestData.Dimension, Options(seed: 5));
        using ResidualKMeansModel again = Train(content, RqVaeTestData.Items, RqVaeTestData.Dimension, Options(seed: 5));
        using ResidualKMeansModel other = Train(content, RqVaeTestData.Items, RqVaeTestData.Dimension, Options(seed: 6));

        again.Codes.AllCodes.ToArray().Should().Equal(first.Codes.AllCodes.ToArray());
        again.GetCentroids(2).Should().Equal(first.GetCentroids(2));
        other.Codes.AllCodes.ToArray().Should().NotEqual(first.Codes.AllCodes.ToArray(), "k-means++ draws other first centroids");
    }

    [Theory]
    [InlineData(InputNormalization.None)]
    [InlineData(InputNormalization.L2)]
    [InlineData(InputNormalization.Standardize)]
    public void EncodingTheTrainingVectorsRepeatsTheirTrainingCodesInOneBatchOrRowByRow(InputNormalization normalization)
    {
        float[] content = RqVaeTestData.Default(out _);
        int items = RqVaeTestData.Items, dimension = RqVaeTestData.Dimension;
        ResidualKMeansOptions options = Options();
        options.Normalization = normalization;
        using ResidualKMeansModel model = Train(content, items, dimension, options);

        model.Encode(content, items).AllCodes.ToArray().Should().Equal(model.CodesBeforeResolution.AllCodes.ToArray());
        for (int item = 0; item < items; item++)
        {
            model.Encode(content.AsSpan(item * dimension, dimension).ToArray(), 1)[0].ToArray()
                .Should().Equal(model.CodesBeforeResolution[item].ToArray(), $"item {item} encoded alone");
        }
    }

    [Fact]
    public void NormalizationChangesWhatKMeansSees()
    {
        // Feature 0 spans ±100 and carries no cluster; features 1-4 carry two clusters at ±1. Raw k-means splits on the
        // wide feature; standardized, every feature weighs the same, and the four that agree on the clusters decide.
        var random = new Random(3);
        int items = 200, dimension = 5;
        var content = new float[items * dimension];
        var labels = new int[items];
        for (int i = 0; i < items; i++)
        {
            labels[i] = i % 2;
            content[dimension * i] = (float)(random.NextDouble() * 200 - 100);
            for (int d = 1; d < dimension; d++)
            {
                content[dimension * i + d] = (labels[i] == 0 ? -1f : 1f) + (float)(0.05 * RqVaeTestData.Gaussian(random));
            }
        }

        ResidualKMeansOptions raw = Options(levels: 1, codebookSize: 2), standardized = Options(levels: 1, codebookSize: 2);
        standardized.Normalization = InputNormalization.Standardize;
        using ResidualKMeansModel rawModel = Train(content, items, dimension, raw);
        using ResidualKMeansModel standardizedModel = Train(content, items, dimension, standardized);

        double rawPurity = PlantedClustersTask.Purity(FirstLevel(rawModel.CodesBeforeResolution), labels);
        double standardizedPurity = PlantedClustersTask.Purity(FirstLevel(standardizedModel.CodesBeforeResolution), labels);
        output.WriteLine($"purity against the narrow features' clusters: raw {rawPurity:F4}, standardized {standardizedPurity:F4}");
        rawPurity.Should().BeLessThan(0.7);
        standardizedPurity.Should().Be(1.0);
    }

    [Fact]
    public void AFusedCollaborativeWeightMovesTheCodesTowardsTheCfClusters()
    {
        // Content and CF vectors hold two independent partitions of the same items (4 clusters each). The first level's
        // 4 codes follow the content alone at weight 0 and the CF vectors at weight 0.8.
        int items = 240, dimension = 16;
        float[] content = RqVaeTestData.Clustered(items, dimension, 4, 0.3, 7, out int[] contentLabels);
        float[] cf = RqVaeTestData.Clustered(items, dimension, 4, 0.3, 8, out int[] cfLabels);
        var purities = new List<(double Weight, double Content, double Cf)>();
        foreach (double weight in new[] { 0.0, 0.8 })
        {
            ResidualKMeansOptions options = Options(levels: 2, codebookSize: 4);
            options.CollaborativeWeight = weight;
            using ResidualKMeansModel model = Train(content, items, dimension, options, cf, dimension);
            model.IsFused.Should().Be(weight > 0);
            int[] first = FirstLevel(model.CodesBeforeResolution);
            purities.Add((weight, PlantedClustersTask.Purity(first, contentLabels), PlantedClustersTask.Purity(first, cfLabels)));
        }

        output.WriteLine(string.Join("; ", purities.Select(p => $"weight {p.Weight}: content purity {p.Content:F4}, CF purity {p.Cf:F4}")));
        purities[0].Content.Should().BeGreaterThan(0.95);
        purities[0].Cf.Should().BeLessThan(0.6, "the CF partition is independent of the content one");
        purities[1].Cf.Should().BeGreaterThan(0.95);
        purities[1].Cf.Should().BeGreaterThan(purities[0].Cf + 0.35);
    }

    [Fact]
    public void AFusedModelCodesAnItemWithoutCfVectorByItsContentAlone()
    {
        int items = 240, dimension = 16;
        float[] content = RqVaeTestData.Clustered(items, dimension, 4, 0.3, 7, out _);
        float[] cf = RqVaeTestData.Clustered(items, dimension, 4, 0.3, 8, out _);
        ResidualKMeansOptions options = Options(levels: 2, codebookSize: 8);
        options.CollaborativeWeight = 0.3;
        using ResidualKMeansModel model = Train(content, items, dimension, options, cf, dimension);

        SemanticIdTable withCf = model.Encode(content, items, cf);
        SemanticIdTable withoutCf = model.Encode(content, items);
        SemanticIdTable zeroCf = model.Encode(content, items, new float[items * dimension]);

        withCf.AllCodes.ToArray().Should().Equal(model.CodesBeforeResolution.AllCodes.ToArray());
        zeroCf.AllCodes.ToArray().Should().Equal(withoutCf.AllCodes.ToArray(), "an all-zero CF vector means none");
        // Content-only distances to the content part of the centroids: compute the first level by hand for item 0.
        float[] centroids = model.GetCentroids(0);
        double norm = Math.Sqrt(content.Take(dimension).Sum(v => (double)v * v));
        int nearest = Enumerable.Range(0, 8).MinBy(c => Enumerable.Range(0, dimension)
            .Sum(d => Math.Pow((1 - 0.3) * content[d] / norm - centroids[c * 2 * dimension + d], 2)));
        withoutCf[0][0].Should().Be(nearest);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        float[] content = RqVaeTestData.Default(out _);
        int items = RqVaeTestData.Items, dimension = RqVaeTestData.Dimension;
        float[] withNaN = (float[])content.Clone();
        withNaN[3 * dimension + 2] = float.NaN;

        FluentActions.Invoking(() => Train(withNaN, items, dimension, Options())).Should().Throw<ArgumentException>().WithMessage("*row 3*non-finite*");
        FluentActions.Invoking(() => Train(content, items, dimension, Options(), new float[items * 7], 8)).Should().Throw<ArgumentException>().WithMessage("*CF vector*");
        FluentActions.Invoking(() => Train(content, items, dimension, Options(codebookSize: 512))).Should().Throw<ArgumentException>().WithMessage("*fewer than CodebookSize (512)*");
        FluentActions.Invoking(() => Train(content, items, dimension, new ResidualKMeansOptions { CollaborativeWeight = 1.5 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(ResidualKMeansOptions.CollaborativeWeight));
        using ResidualKMeansModel model = Train(content, items, dimension, Options());
        FluentActions.Invoking(() => model.Encode(new float[dimension + 1], 1)).Should().Throw<ArgumentException>().WithMessage("*Dimension mismatch*");
        FluentActions.Invoking(() => model.Encode(content, items, content)).Should().Throw<ArgumentException>().WithMessage("*fuses no CF*");
    }

    private static int[] FirstLevel(SemanticIdTable codes) => Enumerable.Range(0, codes.ItemCount).Select(i => codes[i][0]).ToArray();
}
