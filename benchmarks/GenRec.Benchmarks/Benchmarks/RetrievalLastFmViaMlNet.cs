using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>retrieval-lastfm --via mlnet</c>: the trainer path's TokenRec recipe taken the way a user takes it. One
/// <c>EstimatorChain</c> over raw interaction rows (user ID, item ID) — MapValueToKey ×2 → LightGCN
/// (<c>CollaborativeEmbedding</c>) → masked K-way codes of the items → masked K-way codes of the users → generative
/// retrieval — one <c>Fit</c>, <c>Save</c> to a zip, <c>Load</c> in a fresh <c>MLContext</c>, and the test split
/// scored by <c>Transform</c> on (user, test item) rows, measured by <c>GenerativeRecommendation().Evaluate</c>.
/// </summary>
/// <remarks>
/// Protocol: Fit sees the train.txt interactions in file order (sets: no timestamps). LightGCN and the retrieval
/// stage each hold out the user's last train.txt item for early stopping, as the trainer path does; both serve from
/// the user's full train.txt set and exclude it from the ranking. The LightGCN stage's own ranking is kept under
/// <c>CfRecommendedItems</c> (the retrieval stage writes <c>RecommendedItems</c>) and evaluated beside it. Test items
/// that train.txt never has map to key 0 and count as misses (the trainer path ranks them but never learned them).
/// <c>retrieval-movielens</c> runs the same on MovieLens, where "train.txt" reads "each user's ratings but the last".
/// </remarks>
internal static class RetrievalLastFmViaMlNet
{
    public static BenchmarkResult Run(
        BenchmarkContext context,
        LightGcnData lastFm,
        CollaborativeEmbeddingOptions lightGcn,
        Func<int, MaskedKWayOptions> kWay,
        GenerativeRetrievalOptions retrieval,
        int[] ks)
    {
        var total = Stopwatch.StartNew();
        int[][] trainSets = lastFm.Train.SequencesByUser();
        var trainRows = new List<LastFmRow>();
        var testRows = new List<LastFmRow>();
        int skippedTestUsers = 0;
        for (int u = 0; u < lastFm.UserCount; u++)
        {
            string user = lastFm.Train.UserIds[u];
            foreach (int item in trainSets[u])
            {
                trainRows.Add(new LastFmRow { User = user, Item = lastFm.Train.ItemIds[item] });
            }

            if (lastFm.TestItems[u].Length == 0)
            {
                continue;
            }

            if (trainSets[u].Length == 0)
            {
                // A user train.txt never has gets no user key; the trainer path could only rank popularity-free noise for them.
                skippedTestUsers++;
                continue;
            }

            foreach (int item in lastFm.TestItems[u])
            {
                testRows.Add(new LastFmRow { User = user, Item = lastFm.Train.ItemIds[item] });
            }
        }

        int topK = ks.Max();
        lightGcn.HoldOutLastItemForValidation = true;
        lightGcn.ExcludeHistoryFromRecommendations = true;
        lightGcn.TopK = topK;
        lightGcn.RecommendedItemsColumnName = "CfRecommendedItems";
        lightGcn.ScoresColumnName = "CfScores";
        MaskedKWayOptions itemKWay = kWay(context.IntOption("item-codebook", 256));
        MaskedKWayOptions userKWay = kWay(context.IntOption("user-codebook", 256));
        retrieval.HoldOutLastItemForValidation = true;
        retrieval.ExcludeHistoryFromRecommendations = true;
        retrieval.TopK = topK;
        retrieval.UserColumnName = "UserId";

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Message.Contains("validation") || e.Message.Contains("stopp") || e.Message.Contains("User-code anchor")))
            {
                context.Log("  " + e.Message);
            }
        };
        IDataView train = ml.Data.LoadFromEnumerable(trainRows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(LastFmRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(LastFmRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(lightGcn))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "ItemEmbedding", Method = SemanticIdMethod.MaskedKWay, MaskedKWay = itemKWay,
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ItemColumnName = "UserId", ContentColumnName = "UserEmbedding", Method = SemanticIdMethod.MaskedKWay, MaskedKWay = userKWay,
                SemanticIdColumnName = "UserSemanticId", QuantizedColumnName = "UserQuantizedVector",
            }))
            .Append(ml.GenerativeRecommendation().GenerativeRetrieval(retrieval));

        context.Log($"fit the pipeline on {trainRows.Count:N0} training rows; {testRows.Count:N0} test rows ({skippedTestUsers} test users without training items skipped)");
        context.Log($"retrieval: {retrieval.Layers} layers, d {retrieval.ModelDimension}, {retrieval.Heads} heads, ff {retrieval.FeedForwardDimension}, dropout {retrieval.Dropout}, user tokens {retrieval.UseUserTokens}, history tokens {retrieval.UseHistoryTokens} (max {retrieval.MaxHistoryLength}), margin {retrieval.Margin}, {retrieval.NegativesPerPositive} negatives, {retrieval.PositivesPerPrompt} positives/prompt, batch {retrieval.BatchSize}, lr {retrieval.LearningRate}, budget {retrieval.MaxTrainingTime}");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));
        ITransformer[] stages = model.ToArray();
        TrainingResult cfResult = ((CollaborativeEmbeddingTransformer)stages[2]).TrainingResult!;
        var itemTokenizer = (SemanticIdTokenizerTransformer)stages[3];
        var userTokenizer = (SemanticIdTokenizerTransformer)stages[4];
        TrainingResult result = ((GenerativeRetrievalTransformer)stages[5]).TrainingResult!;
        double itemUnique = MaskedKWayModel.ComputeUniqueIdRate(itemTokenizer.Codes);
        double userUnique = MaskedKWayModel.ComputeUniqueIdRate(userTokenizer.Codes);
        TimeSpan tokenizerTime = (itemTokenizer.TrainingResult?.TrainingTime ?? TimeSpan.Zero) + (userTokenizer.TrainingResult?.TrainingTime ?? TimeSpan.Zero);
        context.Log($"LightGCN: {cfResult.EpochsCompleted} epochs in {cfResult.TrainingTime.TotalSeconds:F0} s ({cfResult.StopReason}); tokenizers: {tokenizerTime.TotalSeconds:F0} s, unique IDs items {itemUnique:P1}, users {userUnique:P1}");
        context.Log($"retrieval: {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} pairs/s");
        foreach (var (seconds, epoch, metric) in result.ValidationCurve)
        {
            context.Log($"  curve: {seconds,7:F0} s  epoch {epoch,3}  valid Recall@10 {metric:F4}");
        }

        var ((metrics, cfMetrics, evalTime), saveTime, loadTime) = ViaMlNet.SaveLoadAndScore(context, ml, model, train.Schema, "retrieval-lastfm", (fresh, loaded) =>
        {
            IDataView test = fresh.Data.LoadFromEnumerable(testRows);
            var (retrieval, seconds) = context.Time($"score {testRows.Count:N0} test rows through the loaded zip (retrieval)", () =>
                fresh.GenerativeRecommendation().Evaluate(loaded.Transform(test), "UserId", "ItemId", "RecommendedItems", ks));
            Log(context, "retrieval", retrieval);
            var (lightGcn, _) = context.Time("LightGCN stage's ranking (CfRecommendedItems) from the same zip", () =>
                fresh.GenerativeRecommendation().Evaluate(loaded.Transform(test), "UserId", "ItemId", "CfRecommendedItems", ks));
            Log(context, "LightGCN stage", lightGcn);
            return (retrieval, lightGcn, seconds);
        });

        return new BenchmarkResult()
            .Metric("hr_10", metrics.HitRate(10))
            .Metric("hr_20", metrics.HitRate(20))
            .Metric("ndcg_10", metrics.Ndcg(10))
            .Metric("ndcg_20", metrics.Ndcg(20))
            .Metric("lightgcn_hr_10", cfMetrics.HitRate(10))
            .Metric("lightgcn_ndcg_10", cfMetrics.Ndcg(10))
            .Seconds("fit_seconds", fitTime)
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Count("best_epoch", result.BestEpoch)
            .Seconds("lightgcn_seconds", cfResult.TrainingTime)
            .Seconds("tokenizer_seconds", tokenizerTime)
            .Metric("item_id_unique", itemUnique)
            .Metric("user_id_unique", userUnique)
            .Seconds("save_seconds", saveTime)
            .Seconds("load_seconds", loadTime)
            .Seconds("eval_seconds", evalTime)
            .Count("test_users", metrics.UserCount)
            .Count("unknown_test_items", metrics.UnknownLabelCount)
            .Seconds("seconds", total.Elapsed)
            .Add("similarity", retrieval.Similarity == RetrievalSimilarity.Cosine ? "cosine" : "dot")
            .Add("loss", retrieval.Loss == RetrievalLoss.Softmax ? $"softmax-{retrieval.SoftmaxTemperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(retrieval.SoftmaxExcludesOtherKnownItems ? "-exclude-known" : "")}" : "cosine-margin")
            .Add("schedule", ScheduleOption.Format(retrieval.LearningRateSchedule))
            .Add("user_anchor", retrieval.UseUserCodeAnchor ? "1" : "0")
            .Add("via", "mlnet");
    }

    private static void Log(BenchmarkContext context, string what, RecommendationMetrics metrics)
    {
        context.Log($"  {what}:");
        context.LogMetrics(metrics, "    ");
    }

    /// <summary>One raw interaction row as a user would load it.</summary>
    private sealed class LastFmRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";
    }
}
