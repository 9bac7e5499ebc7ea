using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;

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
/// history not excluded). The codes column is what a user who imports published codes would join onto the rows; the
/// fit, save, load and scoring are <see cref="CodesTableViaMlNet"/>'s, shared with <c>tokenizer-quality-beauty</c>.
/// </remarks>
internal static class TigerBeautyLetterCodesViaMlNet
{
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

        CodesTableRun run = CodesTableViaMlNet.FitAndScore(context, trainRows, testRows, itemIndex, codes, options, "tiger-beauty-letter-codes");
        TrainingResult result = run.Training;

        string curve = string.Join(";", result.ValidationCurve.Select(p => $"{p.Seconds.ToString("F0", CultureInfo.InvariantCulture)}s:{p.Metric.ToString("F4", CultureInfo.InvariantCulture)}"));
        return ViaMlNet.RankingResult(run.Metrics, result, run.Fit)
            .Add("samples_per_second", result.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture))
            .Seconds("save_seconds", run.Save)
            .Seconds("load_seconds", run.Load)
            .Seconds("eval_seconds", run.Eval)
            .Add("decode_ms_per_user", (run.Eval.TotalMilliseconds / testRows.Count).ToString("F2", CultureInfo.InvariantCulture))
            .Count("test_users", testRows.Count)
            .Add("curve", curve.Length > 0 ? curve : "none")
            .Add("architecture", options.Architecture == GenerativeArchitecture.DecoderOnly ? "decoder-only" : "encoder-decoder")
            .Add("schedule", ScheduleOption.Format(options.LearningRateSchedule))
            .Add("loss_scope", LossScopeOption.Format(options.LossScope))
            .Add("temperature", options.Temperature.ToString(CultureInfo.InvariantCulture))
            .Seconds("seconds", total.Elapsed)
            .Add("via", "mlnet");
    }
}
