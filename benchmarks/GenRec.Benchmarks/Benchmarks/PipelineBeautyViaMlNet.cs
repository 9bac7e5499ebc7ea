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
        int[][] sequences = beauty.SequencesByUser();
        var trainRows = new List<BeautyRow>();
        var testRows = new List<BeautyRow>();
        for (int user = 0; user < sequences.Length; user++)
        {
            int[] s = sequences[user];
            if (s.Length < 3)
            {
                continue;
            }

            for (int t = 0; t < s.Length - 1; t++)
            {
                trainRows.Add(new BeautyRow { User = beauty.UserIds[user], Item = beauty.ItemIds[s[t]], Timestamp = t });
            }

            testRows.Add(new BeautyRow { User = beauty.UserIds[user], Item = beauty.ItemIds[s[^1]], Timestamp = s.Length - 1 });
        }

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
        sasRec.TimestampColumnName = nameof(BeautyRow.Timestamp);
        var tokenizer = new SemanticIdTokenizerOptions { ContentColumnName = "ItemEmbedding", CollaborativeColumnName = "ItemEmbedding", RqVae = tokenizerOptions() };
        generative.TimestampColumnName = nameof(BeautyRow.Timestamp);
        generative.UserColumnName = "UserId";
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(BeautyRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(BeautyRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(sasRec))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(tokenizer))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(generative));

        context.Log($"fit the pipeline on {trainRows.Count:N0} interaction rows ({testRows.Count:N0} users)");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));
        var stages = model.ToArray();
        var sasRecResult = ((CollaborativeEmbeddingTransformer)stages[2]).Model;
        var tokenizerStage = (SemanticIdTokenizerTransformer)stages[3];
        TrainingResult result = ((GenerativeRecommenderTransformer)stages[4]).TrainingResult;
        context.Log(tokenizerStage.Statistics.ToString());
        context.Log($"generative: {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4}");

        string zip = Path.Combine(Path.GetTempPath(), $"genrec-pipeline-beauty-{Guid.NewGuid():N}.zip");
        try
        {
            var (_, saveTime) = context.Time("save", () => { ml.Model.Save(model, train.Schema, zip); return 0; });
            context.Log($"model zip: {new FileInfo(zip).Length / 1e6:F1} MB");
            foreach (ITransformer stage in stages)
            {
                (stage as IDisposable)?.Dispose();
            }

            var fresh = new MLContext(context.Seed + 1);
            var (loaded, loadTime) = context.Time("load in a fresh MLContext", () => fresh.Model.Load(zip, out _));
            var (table, evalTime) = context.Time("score the test split through the loaded zip", () => Score(fresh, loaded, testRows));
            context.Log(table.ToString());
            return new BenchmarkResult()
                .Metric("recall_5", table[MetricNames.Recall, 5])
                .Metric("recall_10", table[MetricNames.Recall, 10])
                .Metric("ndcg_5", table[MetricNames.Ndcg, 5])
                .Metric("ndcg_10", table[MetricNames.Ndcg, 10])
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
        finally
        {
            File.Delete(zip);
        }
    }

    /// <summary>Test metrics from the loaded model's <c>Transform</c>: each row's held-out item against its recommendations.</summary>
    private static ScoredMetrics Score(MLContext ml, ITransformer loaded, List<BeautyRow> testRows)
    {
        IDataView scored = loaded.Transform(ml.Data.LoadFromEnumerable(testRows));
        var ranked = new List<int[]>();
        var targets = new List<int>();
        using (DataViewRowCursor cursor = scored.GetRowCursor(new[] { scored.Schema["ItemId"], scored.Schema["RecommendedItems"] }))
        {
            ValueGetter<uint> getItem = cursor.GetGetter<uint>(scored.Schema["ItemId"]);
            ValueGetter<VBuffer<uint>> getRecommended = cursor.GetGetter<VBuffer<uint>>(scored.Schema["RecommendedItems"]);
            uint item = 0;
            VBuffer<uint> recommended = default;
            while (cursor.MoveNext())
            {
                getItem(ref item);
                getRecommended(ref recommended);

                // Key 0 = an item the training rows never had: a relevant item no model trained on them can return.
                targets.Add((int)item - 1);
                ranked.Add(recommended.DenseValues().Select(key => (int)key - 1).ToArray());
            }
        }

        // RankingMetrics is the evaluator's own per-case code; averaged over every test row.
        var table = new Dictionary<(string Metric, int K), double>();
        foreach (string metric in new[] { MetricNames.Recall, MetricNames.Ndcg })
        {
            foreach (int k in Ks)
            {
                double sum = 0;
                for (int row = 0; row < ranked.Count; row++)
                {
                    sum += GenRec.MLNet.Evaluation.RankingMetrics.Compute(metric, ranked[row], new[] { targets[row] }, k);
                }

                table[(metric, k)] = sum / ranked.Count;
            }
        }

        return new ScoredMetrics(table, ranked.Count, targets.Count(t => t < 0));
    }

    /// <summary>Mean metrics over the test rows, and how many rows held an item the training rows never had.</summary>
    private sealed record ScoredMetrics(Dictionary<(string Metric, int K), double> Values, int Rows, int UnseenTargets)
    {
        public double this[string metric, int k] => Values[(metric, k)];

        public override string ToString() =>
            $"{Rows:N0} test rows ({UnseenTargets} with an item unseen in training): " + string.Join(", ", Values.Select(v => $"{v.Key.Metric}@{v.Key.K} {v.Value:F4}"));
    }

    /// <summary>One raw interaction row as a user would load it.</summary>
    private sealed class BeautyRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }
    }
}

/// <summary>Builds fresh tokenizer options (the benchmark's LETTER recipe).</summary>
internal delegate GenRec.MLNet.Tokenization.RqVae.RqVaeOptions RqVaeOptionsFactory();
