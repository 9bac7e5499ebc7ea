using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>sasrec-beauty --via mlnet</c>: the trainer path's SASRec recipe taken the way a user takes it. Raw interaction
/// rows (user ID, item ID, order) → MapValueToKey ×2 → SASRec (<c>CollaborativeEmbedding</c>), one <c>Fit</c>,
/// <c>Save</c> to a zip, <c>Load</c> in a fresh <c>MLContext</c>, and the test split scored by <c>Transform</c> on rows
/// that carry only the user and the held-out item, measured by <c>GenerativeRecommendation().Evaluate</c>.
/// </summary>
/// <remarks>
/// Protocol: Fit sees every user's sequence without its last item (train + validation items). The estimator holds
/// out the last of those for early stopping (= the TIGER validation item) and keeps the full sequence it saw as the
/// user's history, which the loaded SASRec encodes when a row is scored: history = all but the last item, target = the
/// last item, full ranking, history not excluded (unless <c>--exclude-history 1</c>), as in the trainer path. The timestamp column is each event's
/// position in its user's time-ordered sequence (only the order within a user matters).
/// </remarks>
internal static class SasRecBeautyViaMlNet
{
    public static BenchmarkResult Run(BenchmarkContext context, CollaborativeEmbeddingOptions options, int[] ks)
    {
        var total = Stopwatch.StartNew();
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        var (trainRows, testRows) = ViaMlNet.LeaveLastOut(beauty);

        options.TimestampColumnName = nameof(ViaMlNet.InteractionRow.Timestamp);
        options.HoldOutLastItemForValidation = true;
        options.TopK = ks.Max();

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && !e.Message.Contains("BinarySaver", StringComparison.Ordinal)) context.Log("  " + e.Message); };
        IDataView train = ml.Data.LoadFromEnumerable(trainRows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ViaMlNet.InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ViaMlNet.InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(options));

        context.Log($"fit SASRec on {trainRows.Count:N0} interaction rows ({testRows.Count:N0} users): d={options.Dimension}, {options.Layers} blocks, {options.Heads} head(s), dropout {options.Dropout}, max length {options.MaxHistoryLength}, batch {options.BatchSize}, lr {options.LearningRate}, budget {options.MaxTrainingTime}");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));
        var stage = (CollaborativeEmbeddingTransformer)model.LastTransformer;
        TrainingResult result = stage.TrainingResult!;
        int itemCount = stage.Model.ItemCount;
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} positions/s");
        foreach (var (seconds, epoch, metric) in result.ValidationCurve)
        {
            context.Log($"  curve: {seconds,7:F0} s  epoch {epoch,3}  valid Recall@10 {metric:F4}");
        }

        var ((metrics, evalTime), saveTime, loadTime) = ViaMlNet.SaveLoadAndScore(context, ml, model, train.Schema, "sasrec-beauty", (fresh, loaded) =>
            context.Time($"score {testRows.Count:N0} test rows through the loaded zip", () =>
                fresh.GenerativeRecommendation().Evaluate(loaded.Transform(fresh.Data.LoadFromEnumerable(testRows)), "UserId", "ItemId", "RecommendedItems", ks)));
        context.LogMetrics(metrics);

        double epochSeconds = result.TrainingTime.TotalSeconds / Math.Max(1, result.EpochsCompleted);
        return ViaMlNet.RankingResult(metrics, result, fitTime)
            .Add("epoch_seconds", epochSeconds.ToString("F1", CultureInfo.InvariantCulture))
            .Add("positions_per_second", result.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture))
            .Seconds("save_seconds", saveTime)
            .Seconds("load_seconds", loadTime)
            .Seconds("eval_seconds", evalTime)
            .Count("test_users", metrics.UserCount)
            .Count("sasrec_items", itemCount)
            .Seconds("seconds", total.Elapsed)
            .Count("exclude_history", options.ExcludeHistoryFromRecommendations ? 1 : 0)
            .Add("via", "mlnet");
    }
}
