using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Sweeping;
using GenRec.MLNet.Synthetic;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Sweeping;

/// <summary>
/// A small generated shop split leave-one-out with validation, and a cheap pipeline to sweep: key mappings then matrix
/// factorization, whose <c>RecommendedItems</c> the sweep scores. MF trains in a fraction of a second here, so a test
/// can run a dozen real trials.
/// </summary>
internal static class SweepTestData
{
    private static readonly Lazy<InteractionSplit> LazySplit = new(CreateSplit);

    public static InteractionSplit Split => LazySplit.Value;

    public static SearchSpace<CollaborativeEmbeddingOptions> Space() =>
        new SearchSpace<CollaborativeEmbeddingOptions>(() => new CollaborativeEmbeddingOptions
            {
                Dimension = 16, NumberOfEpochs = 4, LearningRate = 0.01, BatchSize = 256, EarlyStoppingPatience = 0, LogEveryNSteps = 1000,
                TimestampColumnName = nameof(ShopRow.Timestamp),
            })
            .Choice(o => o.Dimension, 4, 8, 16, 32)
            .Uniform(o => o.LearningRate, 1e-3, 1e-1, logScale: true)
            .Uniform(o => o.L2Regularization, 1e-6, 1e-2, logScale: true)
            .Budget(o => o.NumberOfEpochs, 1, 9);

    public static IEstimator<ITransformer> Pipeline(MLContext ml, CollaborativeEmbeddingOptions options) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ShopRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ShopRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(options));

    public static SweepExperiment<CollaborativeEmbeddingOptions> Experiment(int seed) =>
        new MLContext(seed: 0).GenerativeRecommendation().Sweep(Space(), Pipeline).SetDataset(Split).SetSeed(seed);

    private static InteractionSplit CreateSplit()
    {
        InteractionDataset shop = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 250, ItemCount = 80, MaxSequenceLength = 15, Seed = 11 }).Dataset;
        long[] time = shop.Timestamps!;
        var ml = new MLContext(seed: 0);
        IDataView rows = ml.Data.Cache(ml.Data.LoadFromEnumerable(Enumerable.Range(0, shop.InteractionCount).Select(i => new ShopRow
        {
            User = shop.UserIds[shop.UserIndices[i]],
            Item = shop.ItemIds[shop.ItemIndices[i]],
            Timestamp = time[i],
        }).ToArray()));
        return ml.GenerativeRecommendation().LeaveOneOutSplit(rows, nameof(ShopRow.User), nameof(ShopRow.Item), nameof(ShopRow.Timestamp), withValidation: true);
    }

    public sealed class ShopRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }
    }

    /// <summary>Calls back on the sweep's thread, in order.</summary>
    public sealed class Recorder<T>(Action<T>? onReport = null) : IProgress<T>
    {
        public List<T> Reports { get; } = [];

        public void Report(T value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
