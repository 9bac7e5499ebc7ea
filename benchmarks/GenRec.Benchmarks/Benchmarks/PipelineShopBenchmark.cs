using System.Diagnostics;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>pipeline-shop</c>: does the README's program learn? The demo's generated shop (2,000 users, 1,000 items, the
/// rows <c>--export-interactions</c> writes) split leave-one-out on the <c>IDataView</c>
/// (<c>LeaveOneOutSplit</c>), the README pipeline's exact settings fitted on the training rows, saved, loaded in a fresh
/// <c>MLContext</c>, the test rows scored by <c>Transform</c> and measured by <c>Evaluate</c>; popularity and
/// co-occurrence (the strongest simple baseline on this catalog) on the same split beside it. No download; about a
/// minute or two on 2 cores.
/// </summary>
internal sealed class PipelineShopBenchmark : IBenchmark
{
    private static readonly int[] Ks = [5, 10, 20];

    public string Name => "pipeline-shop";

    public string Description => "the README's pipeline settings on the demo shop (leave-one-out on IDataView, Fit/Save/Load, Evaluate) vs popularity and co-occurrence";

    public IReadOnlyCollection<string> ExtraOptions => [];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        InteractionDataset shop = SyntheticCatalogGenerator.Generate().Dataset;
        long[] time = shop.Timestamps ?? throw new InvalidOperationException("The generated shop has no timestamps.");
        var ml = new MLContext(seed: 0);
        IDataView rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, shop.InteractionCount).Select(i => new ShopRow
        {
            User = shop.UserIds[shop.UserIndices[i]],
            Item = shop.ItemIds[shop.ItemIndices[i]],
            Timestamp = time[i],
        }).ToArray());
        var genRec = ml.GenerativeRecommendation();
        InteractionSplit split = genRec.LeaveOneOutSplit(rows, nameof(ShopRow.User), nameof(ShopRow.Item), nameof(ShopRow.Timestamp), withValidation: false);
        context.Log(split.ToString());

        var (model, fitTime) = context.Time("fit the README pipeline", () => ReadmePipeline(ml).Fit(split.Train));
        GenerativeRecommenderTransformer generative = model.OfType<GenerativeRecommenderTransformer>().Single();
        context.Log($"generative: {generative.TrainingResult.EpochsCompleted} epochs ({generative.TrainingResult.StopReason}), best validation Recall@10 {generative.TrainingResult.BestValidationMetric:F4}");
        string zip = Path.Combine(Path.GetTempPath(), $"genrec-pipeline-shop-{Guid.NewGuid():N}.zip");
        RecommendationMetrics pipeline;
        try
        {
            ml.Model.Save(model, split.Train.Schema, zip);
            var fresh = new MLContext(seed: 1);
            ITransformer loaded = fresh.Model.Load(zip, out _);
            pipeline = fresh.GenerativeRecommendation().Evaluate(loaded.Transform(split.Test), ks: Ks);
        }
        finally
        {
            File.Delete(zip);
        }

        context.Log("README pipeline (loaded zip)\n" + pipeline);

        // The baselines see the same training rows: every user's sequence but its last interaction.
        int[][] sequences = shop.OrderByTime().SequencesByUser();
        int[][] train = [.. sequences.Select(s => s.Length >= 2 ? s[..^1] : s)];
        EvaluationCase[] cases = [.. sequences.Select((s, user) => (s, user)).Where(p => p.s.Length >= 2).Select(p => new EvaluationCase(p.user, p.s[..^1], [p.s[^1]]))];
        MetricsTable popularity = RecommenderEvaluator.Evaluate(new PopularityRecommender(train, shop.ItemCount), cases, Ks, excludeHistory: true);
        MetricsTable coOccurrence = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(train, shop.ItemCount), cases, Ks, excludeHistory: true);
        context.Log($"Popularity\n{popularity}\nCo-occurrence\n{coOccurrence}");

        return new BenchmarkResult()
            .Metric("recall_10", pipeline.Recall(10))
            .Metric("ndcg_10", pipeline.Ndcg(10))
            .Metric("popularity_recall_10", popularity[MetricNames.Recall, 10])
            .Metric("cooccurrence_recall_10", coOccurrence[MetricNames.Recall, 10])
            .Metric("cooccurrence_ndcg_10", coOccurrence[MetricNames.Ndcg, 10])
            .Count("test_users", pipeline.UserCount)
            .Count("baseline_users", cases.Length)
            .Count("epochs", generative.TrainingResult.EpochsCompleted)
            .Seconds("fit_seconds", fitTime)
            .Seconds("seconds", total.Elapsed)
            .Add("via", "mlnet");
    }

    /// <summary>The README program's pipeline, setting for setting (keep the two in step).</summary>
    private static EstimatorChain<Microsoft.ML.Transforms.KeyToValueMappingTransformer> ReadmePipeline(MLContext mlContext)
    {
        var genRec = mlContext.GenerativeRecommendation();
        return mlContext.Transforms.Conversion.MapValueToKey("UserId", nameof(ShopRow.User))
            .Append(mlContext.Transforms.Conversion.MapValueToKey("ItemId", nameof(ShopRow.Item)))
            .Append(genRec.CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Dimension = 32, NumberOfEpochs = 10, LearningRate = 0.01, TimestampColumnName = nameof(ShopRow.Timestamp),
            }))
            .Append(genRec.SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "ItemEmbedding",
                RqVae = new RqVaeOptions { Levels = 3, CodebookSize = 16, CodeDimension = 16, EncoderLayerSizes = [64], NumberOfEpochs = 40 },
            }))
            .Append(genRec.GenerativeRecommender(new GenerativeRecommenderOptions
            {
                TimestampColumnName = nameof(ShopRow.Timestamp),
                Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
                DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
                NumberOfEpochs = 15, LearningRate = 3e-3, MaxTrainingTime = TimeSpan.FromSeconds(60),
            }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("RecommendedItemIds", "RecommendedItems"));
    }

    private sealed class ShopRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }
    }
}
