using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// Codes the library learns itself, not hand-built ones: the RQ-VAE tokenizer must recover <see cref="PlantedClustersTask"/>'s
/// clusters in its first code level, and the generative recommender reading those codes must beat popularity on the
/// cluster-bound sequences. One pipeline: MapValueToKey ×2 → SemanticIdTokenizer (RQ-VAE on the content vectors) →
/// GenerativeRecommender; Fit, then Save, Load, Transform, Evaluate.
/// </summary>
public sealed class PlantedClustersTests(ITestOutputHelper output)
{
    // Measured 2026-11-30 on the 2-core machine with 16 codes per level and 8 epochs: first-level purity 0.8958 (chance,
    // the same partition with shuffled labels, 0.2672); the generative recommender on those codes Recall@10 0.9900
    // against popularity's 0.3633. Training lowers purity: after 1 epoch (little more than the k-means initialization)
    // it was 0.9896, and with 8 codes per level after 15 epochs 0.7708, although the clusters are far apart. The bars
    // (purity 0.8, twice popularity) leave margin for that drift.
    private const int Epochs = 8;

    [Fact]
    public void RqVaeFirstLevelFindsTheClustersAndItsCodesBeatPopularity()
    {
        var ml = new MLContext(seed: 1);
        float[][] content = PlantedClustersTask.ContentVectors(seed: 31);
        int[][] sequences = PlantedClustersTask.Sequences(userCount: 300, seed: 37);
        IDataView rows = ml.Data.LoadFromEnumerable(PlantedClustersTask.Rows(sequences, content));
        InteractionSplit split = ml.GenerativeRecommendation().LeaveOneOutSplit(rows, nameof(ClusteredInteraction.User), nameof(ClusteredInteraction.Item),
            nameof(ClusteredInteraction.Timestamp), withValidation: false);
        var rqVae = new RqVaeOptions
        {
            Levels = 3, CodebookSize = 16, CodeDimension = 8, EncoderLayerSizes = [32], CollaborativeWeight = 0, DiversityWeight = 0,
            NumberOfEpochs = Epochs, BatchSize = 32, LearningRate = 3e-3, KMeansIterations = 10, CollisionHandling = CollisionHandling.ExtraLevel,
            Seed = 11, Device = TorchDeviceKind.Cpu, LogEveryNSteps = 10_000,
        };
        GenerativeRecommenderOptions generative = GenerativeTestData.Tiny(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding, epochs: Epochs);
        generative.UserColumnName = "UserId";
        generative.TimestampColumnName = nameof(ClusteredInteraction.Timestamp);
        generative.HoldOutLastItemForValidation = false;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ClusteredInteraction.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ClusteredInteraction.Item)))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions { ContentColumnName = nameof(ClusteredInteraction.Features), RqVae = rqVae }))
            .Append<ITransformer>(ml.GenerativeRecommendation().GenerativeRecommender(generative));

        TransformerChain<ITransformer> model = pipeline.Fit(split.Train);

        (int[] firstCodes, int[] clusters) = FirstLevelCodes(model.Take(3).Aggregate(split.Train, (data, stage) => stage.Transform(data)));
        double purity = PlantedClustersTask.Purity(firstCodes, clusters);
        double chance = ChancePurity(firstCodes, clusters);
        RecommendationMetrics metrics = SavedPipeline.SaveLoadEvaluate(ml, model, split.Train.Schema, split.Test, 10);
        double popularity = PopularityRecall(sequences);
        output.WriteLine($"first-level purity {purity:F4} over {firstCodes.Length} items (chance {chance:F4}); Recall@10 {metrics.Recall(10):F4}, popularity {popularity:F4}");

        purity.Should().BeGreaterThan(0.8, $"8 planted clusters; shuffled labels give {chance:F4}");
        metrics.Recall(10).Should().BeGreaterThan(2 * popularity, $"popularity reaches {popularity:F4}");
    }

    // Measured 2026-11-30 on the 2-core machine: first-level purity 1.0000 (shuffled labels 0.3406), Recall@10 0.8967
    // against popularity's 0.3633. With k-means seeds 12 and 13: purity 1.0000 both, Recall@10 0.9500 and 0.9633. The
    // RQ-VAE codes above give a lower purity but Recall@10 0.9900 (one seed): purer first codes did not make the better
    // recommender here, and the deeper levels, which k-means fills with residual clusters, may be why (not measured).
    [Fact]
    public void ResidualKMeansCodesFindTheClustersAndBeatPopularityThroughTheSavedPipeline()
    {
        var ml = new MLContext(seed: 1);
        float[][] content = PlantedClustersTask.ContentVectors(seed: 31);
        int[][] sequences = PlantedClustersTask.Sequences(userCount: 300, seed: 37);
        IDataView rows = ml.Data.LoadFromEnumerable(PlantedClustersTask.Rows(sequences, content));
        InteractionSplit split = ml.GenerativeRecommendation().LeaveOneOutSplit(rows, nameof(ClusteredInteraction.User), nameof(ClusteredInteraction.Item),
            nameof(ClusteredInteraction.Timestamp), withValidation: false);
        GenerativeRecommenderOptions generative = GenerativeTestData.Tiny(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding, epochs: Epochs);
        generative.UserColumnName = "UserId";
        generative.TimestampColumnName = nameof(ClusteredInteraction.Timestamp);
        generative.HoldOutLastItemForValidation = false;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ClusteredInteraction.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ClusteredInteraction.Item)))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = nameof(ClusteredInteraction.Features), Method = SemanticIdMethod.ResidualKMeans,
                ResidualKMeans = new ResidualKMeansOptions { Levels = 3, CodebookSize = 16, Seed = 11 },
            }))
            .Append<ITransformer>(ml.GenerativeRecommendation().GenerativeRecommender(generative));

        TransformerChain<ITransformer> model = pipeline.Fit(split.Train);

        (int[] firstCodes, int[] clusters) = FirstLevelCodes(model.Take(3).Aggregate(split.Train, (data, stage) => stage.Transform(data)));
        double purity = PlantedClustersTask.Purity(firstCodes, clusters);
        RecommendationMetrics metrics = SavedPipeline.SaveLoadEvaluate(ml, model, split.Train.Schema, split.Test, 10);
        double popularity = PopularityRecall(sequences);
        output.WriteLine($"residual k-means: first-level purity {purity:F4} over {firstCodes.Length} items (chance {ChancePurity(firstCodes, clusters):F4}); Recall@10 {metrics.Recall(10):F4}, popularity {popularity:F4}");

        purity.Should().BeGreaterThan(0.95, "k-means on 8 far-apart clusters with 16 centroids");
        metrics.Recall(10).Should().BeGreaterThan(2 * popularity, $"popularity reaches {popularity:F4}");
    }

    /// <summary>Each item's first code and planted cluster, read from the tokenizer's output column.</summary>
    private static (int[] Codes, int[] Clusters) FirstLevelCodes(IDataView tokenized)
    {
        string[] items = tokenized.GetColumn<string>(nameof(ClusteredInteraction.Item)).ToArray();
        uint[] codes = tokenized.GetColumn<VBuffer<uint>>("SemanticId").Select(id => id.GetValues()[0]).ToArray();
        var byItem = items.Zip(codes).DistinctBy(pair => pair.First).ToArray();
        return (byItem.Select(pair => (int)pair.Second).ToArray(), byItem.Select(pair => PlantedClustersTask.ClusterOf(int.Parse(pair.First[1..]))).ToArray());
    }

    /// <summary>Expected purity of the same code partition with the cluster labels shuffled (200 seeded shuffles).</summary>
    private static double ChancePurity(int[] codes, int[] clusters)
    {
        var random = new Random(41);
        return Enumerable.Range(0, 200).Average(_ => PlantedClustersTask.Purity(codes, clusters.OrderBy(__ => random.Next()).ToArray()));
    }

    private static double PopularityRecall(int[][] sequences)
    {
        int[][] train = sequences.Select(s => s[..^1]).ToArray();
        EvaluationCase[] test = sequences.Select((s, user) => new EvaluationCase(user, s[..^1], [s[^1]])).ToArray();
        return RecommenderEvaluator.Evaluate(new PopularityRecommender(train, PlantedClustersTask.ItemCount), test, [10], excludeHistory: true)[MetricNames.Recall, 10];
    }
}
