using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>pipeline-beauty --via mlnet</c>: the same recipe as the trainer path, taken the way a user takes it. One
/// <c>EstimatorChain</c> over raw interaction rows (user ID, item ID, order) — MapValueToKey ×2 → SASRec
/// (<c>CollaborativeEmbedding</c>) → RQ-VAE with LETTER's regularizers on the SASRec item embeddings
/// (<c>SemanticIdTokenizer</c>) → decoder-only generative recommender — one <c>Fit</c>, <c>Save</c> to a zip,
/// <c>Load</c> in a fresh <c>MLContext</c>, and the test split scored by <c>Transform</c> on rows that carry only the
/// user and the held-out item.
/// </summary>
/// <remarks>
/// Protocol: Fit sees every user's sequence without its last item (train + validation items). Each stage holds out
/// the last of those for early stopping (= the TIGER validation item) and the generative model serves each user from
/// the full sequence it saw, so the test case is the trainer path's: history = all but the last item, target = the
/// last item, full ranking, history not excluded. The timestamp column is each event's position in its user's
/// time-ordered sequence (only the order within a user matters).
/// </remarks>
internal static class PipelineBeautyViaMlNet
{
    private static readonly int[] Ks = [5, 10];

    public static BenchmarkResult Run(BenchmarkContext context, GenerativeRecommenderOptions generative, RqVaeOptionsFactory tokenizerOptions)
    {
        var total = Stopwatch.StartNew();
        InteractionDataset beauty = BenchmarkDatasets.LoadBeauty(context);
        var (trainRows, testRows) = ViaMlNet.LeaveLastOut(beauty);

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Message.Contains("validation") || e.Message.Contains("stopp")))
            {
                context.Log("  " + e.Message);
            }
        };
        IDataView train = ml.Data.LoadFromEnumerable(trainRows);
        CollaborativeEmbeddingOptions sasRec = BeautySasRecEmbeddings.Options(context, context.DoubleOption("sasrec-minutes", 10));
        sasRec.TimestampColumnName = nameof(ViaMlNet.InteractionRow.Timestamp);
        var tokenizer = new SemanticIdTokenizerOptions { ContentColumnName = "ItemEmbedding", CollaborativeColumnName = "ItemEmbedding", RqVae = tokenizerOptions() };
        generative.TimestampColumnName = nameof(ViaMlNet.InteractionRow.Timestamp);
        generative.UserColumnName = "UserId";
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ViaMlNet.InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ViaMlNet.InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(sasRec))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(tokenizer))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(generative));

        context.Log($"fit the pipeline on {trainRows.Count:N0} interaction rows ({testRows.Count:N0} users)");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));
        var stages = model.ToArray();
        var sasRecResult = ((CollaborativeEmbeddingTransformer)stages[2]).Model;
        var tokenizerStage = (SemanticIdTokenizerTransformer)stages[3];
        TrainingResult result = ((GenerativeRecommenderTransformer)stages[4]).TrainingResult;
        context.LogCodes(tokenizerStage.Statistics);
        context.Log($"generative: {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4}");

        var ((metrics, evalTime), saveTime, loadTime) = ViaMlNet.SaveLoadAndScore(context, ml, model, train.Schema, "pipeline-beauty", (fresh, loaded) =>
            context.Time("score the test split through the loaded zip", () =>
                fresh.GenerativeRecommendation().Evaluate(loaded.Transform(fresh.Data.LoadFromEnumerable(testRows)), "UserId", "ItemId", "RecommendedItems", Ks)));
        context.LogMetrics(metrics);
        return new BenchmarkResult()
            .Metric("recall_5", metrics.Recall(5))
            .Metric("recall_10", metrics.Recall(10))
            .Metric("ndcg_5", metrics.Ndcg(5))
            .Metric("ndcg_10", metrics.Ndcg(10))
            .Metric("valid_recall_10", result.BestValidationMetric ?? double.NaN)
            .Add("architecture", generative.Architecture == GenerativeArchitecture.DecoderOnly ? "decoder-only" : "encoder-decoder")
            .Add("collision_rate", tokenizerStage.Statistics.CollisionRate.ToString("F4", CultureInfo.InvariantCulture))
            .Seconds("fit_seconds", fitTime)
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Seconds("save_seconds", saveTime)
            .Seconds("load_seconds", loadTime)
            .Seconds("eval_seconds", evalTime)
            .Count("sasrec_items", sasRecResult.ItemCount)
            .Seconds("seconds", total.Elapsed)
            .Add("via", "mlnet");
    }
}

/// <summary>Builds fresh tokenizer options (the benchmark's LETTER recipe).</summary>
internal delegate GenRec.MLNet.Tokenization.RqVae.RqVaeOptions RqVaeOptionsFactory();
