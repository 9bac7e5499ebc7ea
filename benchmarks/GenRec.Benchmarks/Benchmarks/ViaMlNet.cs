using GenRec.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// What every <c>--via mlnet</c> benchmark does the same way: raw interaction rows as a user loads them, and the
/// save → dispose → load-in-a-fresh-MLContext round trip whose result is scored.
/// </summary>
internal static class ViaMlNet
{
    /// <summary>
    /// Leave-last-out rows: every user's time-ordered sequence without its last item (the position as the timestamp)
    /// for training, and (user, last item) for the test; users with fewer than 3 items are skipped, as the trainer
    /// paths' leave-one-out split does.
    /// </summary>
    public static (List<InteractionRow> Train, List<InteractionRow> Test) LeaveLastOut(InteractionDataset data)
    {
        int[][] sequences = data.SequencesByUser();
        var train = new List<InteractionRow>();
        var test = new List<InteractionRow>();
        for (int user = 0; user < sequences.Length; user++)
        {
            int[] s = sequences[user];
            if (s.Length < 3)
            {
                continue;
            }

            for (int t = 0; t < s.Length - 1; t++)
            {
                train.Add(new InteractionRow { User = data.UserIds[user], Item = data.ItemIds[s[t]], Timestamp = t });
            }

            test.Add(new InteractionRow { User = data.UserIds[user], Item = data.ItemIds[s[^1]], Timestamp = s.Length - 1 });
        }

        return (train, test);
    }

    /// <summary>
    /// Saves <paramref name="model"/> to a temporary zip, disposes the fitted stages (so nothing trained stays in
    /// memory), loads the zip in a fresh <c>MLContext</c> and hands it to <paramref name="score"/>; the zip is deleted after.
    /// </summary>
    public static (T Result, TimeSpan Save, TimeSpan Load) SaveLoadAndScore<T, TLast>(
        BenchmarkContext context, MLContext ml, TransformerChain<TLast> model, DataViewSchema schema, string name, Func<MLContext, ITransformer, T> score)
        where TLast : class, ITransformer
    {
        string zip = Path.Combine(Path.GetTempPath(), $"genrec-{name}-{Guid.NewGuid():N}.zip");
        try
        {
            var (_, saveTime) = context.Time("save", () => { ml.Model.Save(model, schema, zip); return 0; });
            context.Log($"model zip: {new FileInfo(zip).Length / 1e6:F1} MB");
            foreach (ITransformer stage in model)
            {
                (stage as IDisposable)?.Dispose();
            }

            var fresh = new MLContext(context.Seed + 1);
            var (loaded, loadTime) = context.Time("load in a fresh MLContext", () => fresh.Model.Load(zip, out _));
            return (score(fresh, loaded), saveTime, loadTime);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    /// <summary>
    /// The keys every via-mlnet training benchmark starts its RESULT line with: test Recall/NDCG at 5 and 10 from the
    /// loaded chain, the best validation Recall@10, and the fit's time, epochs and best epoch.
    /// </summary>
    public static BenchmarkResult RankingResult(GenRec.MLNet.Evaluation.RecommendationMetrics metrics, GenRec.MLNet.Training.TrainingResult result, TimeSpan fitTime) =>
        new BenchmarkResult()
            .Metric("recall_5", metrics.Recall(5))
            .Metric("recall_10", metrics.Recall(10))
            .Metric("ndcg_5", metrics.Ndcg(5))
            .Metric("ndcg_10", metrics.Ndcg(10))
            .Metric("valid_recall_10", result.BestValidationMetric ?? double.NaN)
            .Seconds("fit_seconds", fitTime)
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Count("best_epoch", result.BestEpoch);

    /// <summary>One raw interaction row as a user would load it.</summary>
    public sealed class InteractionRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }
    }
}
