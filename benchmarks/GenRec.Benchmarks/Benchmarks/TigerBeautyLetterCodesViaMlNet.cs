using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>tiger-beauty-letter-codes --via mlnet</c>: the trainer path's recipe on LETTER's released codes, taken the way a
/// user with imported codes takes it. Raw interaction rows (user ID, item ID, order, and the item's LETTER semantic ID
/// as a UInt32 vector column) → MapValueToKey ×2 → <c>GenerativeRecommender</c>, one <c>Fit</c>, <c>Save</c>,
/// <c>Load</c> in a fresh <c>MLContext</c>, and the test split scored by <c>Transform</c> on rows that carry only the
/// user and the held-out item.
/// </summary>
/// <remarks>
/// Protocol as in <see cref="PipelineBeautyViaMlNet"/>: Fit sees every user's sequence without its last item; the
/// estimator holds out the last of those for early stopping (the TIGER validation item) and serves each user from the
/// full sequence it saw, so the test case equals the trainer path's (history = all but the last item, full ranking,
/// history not excluded). The codes column is what a user who imports published codes would join onto the rows.
/// </remarks>
internal static class TigerBeautyLetterCodesViaMlNet
{
    private static readonly int[] Ks = [5, 10];

    public static BenchmarkResult Run(BenchmarkContext context, GenerativeRecommenderOptions options)
    {
        var total = Stopwatch.StartNew();
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        var (codes, _) = context.Time("import beauty/Beauty.letter-index.json", () => SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json")));
        if (codes.ItemCount != beauty.ItemIds.Count)
        {
            throw new InvalidOperationException($"LETTER's codes cover {codes.ItemCount} items but Beauty.inter.json has {beauty.ItemIds.Count}.");
        }

        var (trainRows, testRows) = ViaMlNet.LeaveLastOut(beauty);
        var itemIndex = new Dictionary<string, int>(beauty.ItemIds.Count, StringComparer.Ordinal);
        for (int i = 0; i < beauty.ItemIds.Count; i++)
        {
            itemIndex[beauty.ItemIds[i]] = i;
        }

        List<CodedRow> coded = [.. trainRows.Select(r => new CodedRow
        {
            User = r.User,
            Item = r.Item,
            Timestamp = r.Timestamp,
            SemanticId = [.. codes[itemIndex[r.Item]].ToArray().Select(c => checked((uint)c))],
        })];

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Message.Contains("validation") || e.Message.Contains("stopp")))
            {
                context.Log("  " + e.Message);
            }
        };
        SchemaDefinition schema = SchemaDefinition.Create(typeof(CodedRow));
        schema[nameof(CodedRow.SemanticId)].ColumnType = new VectorDataViewType(NumberDataViewType.UInt32, codes.Levels);
        IDataView train = ml.Data.LoadFromEnumerable(coded, schema);

        options.TimestampColumnName = nameof(CodedRow.Timestamp);
        options.UserColumnName = "UserId";
        options.SemanticIdColumnName = nameof(CodedRow.SemanticId);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(CodedRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(CodedRow.Item)))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(options));

        context.Log($"fit on {coded.Count:N0} interaction rows ({testRows.Count:N0} users): {options.Architecture}, {options.EncoderLayers}+{options.DecoderLayers} layers, d {options.ModelDimension}, batch {options.BatchSize}, lr {options.LearningRate}, {options.LearningRateSchedule}, budget {options.MaxTrainingTime}");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));
        TrainingResult result = ((GenerativeRecommenderTransformer)model.ToArray()[2]).TrainingResult;
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} samples/s");

        var ((metrics, evalTime), saveTime, loadTime) = ViaMlNet.SaveLoadAndScore(context, ml, model, train.Schema, "tiger-beauty-letter-codes", (fresh, loaded) =>
            context.Time("score the test split through the loaded zip", () =>
                fresh.GenerativeRecommendation().Evaluate(loaded.Transform(fresh.Data.LoadFromEnumerable(testRows)), "UserId", "ItemId", "RecommendedItems", Ks)));
        context.LogMetrics(metrics);

        string curve = string.Join(";", result.ValidationCurve.Select(p => $"{p.Seconds.ToString("F0", CultureInfo.InvariantCulture)}s:{p.Metric.ToString("F4", CultureInfo.InvariantCulture)}"));
        return ViaMlNet.RankingResult(metrics, result, fitTime)
            .Add("samples_per_second", result.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture))
            .Seconds("save_seconds", saveTime)
            .Seconds("load_seconds", loadTime)
            .Seconds("eval_seconds", evalTime)
            .Add("decode_ms_per_user", (evalTime.TotalMilliseconds / testRows.Count).ToString("F2", CultureInfo.InvariantCulture))
            .Count("test_users", testRows.Count)
            .Add("curve", curve.Length > 0 ? curve : "none")
            .Add("architecture", options.Architecture == GenerativeArchitecture.DecoderOnly ? "decoder-only" : "encoder-decoder")
            .Add("schedule", ScheduleOption.Format(options.LearningRateSchedule))
            .Add("loss_scope", LossScopeOption.Format(options.LossScope))
            .Add("temperature", options.Temperature.ToString(CultureInfo.InvariantCulture))
            .Seconds("seconds", total.Elapsed)
            .Add("via", "mlnet");
    }

    /// <summary>An interaction row with the item's imported semantic ID joined on.</summary>
    private sealed class CodedRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        public uint[] SemanticId { get; set; } = [];
    }
}
