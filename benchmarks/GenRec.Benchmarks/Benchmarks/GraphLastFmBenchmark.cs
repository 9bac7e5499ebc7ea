using System.Globalization;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>lightgcn-lastfm</c> / <c>mf-lastfm</c>: BPR-trained LightGCN or matrix factorization on the TokenRec authors'
/// LastFM split (train.txt / test.txt), ranking over all items with the user's training items excluded (the TokenRec
/// protocol); HR@10/20 and NDCG@10/20. One training item per user is held out for early stopping.
/// </summary>
internal sealed class GraphLastFmBenchmark : IBenchmark
{
    private static readonly int[] Ks = [10, 20];
    private readonly CollaborativeModelKind _model;

    public GraphLastFmBenchmark(CollaborativeModelKind model) => _model = model;

    public string Name => _model == CollaborativeModelKind.LightGcn ? "lightgcn-lastfm" : "mf-lastfm";

    public string Description => $"{(_model == CollaborativeModelKind.LightGcn ? "LightGCN" : "MF")}-BPR on the TokenRec LastFM split, history excluded, HR/NDCG@10/20; --minutes budget (default 10)";

    public IReadOnlyCollection<string> ExtraOptions => ["dimension", "layers", "batch-size", "lr", "l2", "epochs", "validate-every", "patience"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var (lastFm, _) = context.Time("load lastfm/train.txt + test.txt", () => BenchmarkDatasets.LoadLastFm(context));
        int[][] trainSets = lastFm.Train.SequencesByUser();
        var test = new List<EvaluationCase>();
        for (int u = 0; u < lastFm.UserCount; u++)
        {
            if (lastFm.TestItems[u].Length > 0)
            {
                test.Add(new EvaluationCase(u, trainSets[u], lastFm.TestItems[u]));
            }
        }

        var options = new CollaborativeEmbeddingOptions
        {
            Model = _model,
            Loss = CollaborativeLoss.Bpr,
            Dimension = context.IntOption("dimension", 64),
            GraphLayers = context.IntOption("layers", 3),
            BatchSize = context.IntOption("batch-size", 2048),
            LearningRate = context.DoubleOption("lr", 1e-3),
            L2Regularization = context.DoubleOption("l2", 1e-4),
            NumberOfEpochs = context.IntOption("epochs", 1000),
            ValidateEveryNEpochs = context.IntOption("validate-every", 10),
            EarlyStoppingPatience = context.IntOption("patience", 5),
            MaxTrainingTime = context.TimeBudget ?? TimeSpan.FromMinutes(10),
            ExcludeHistoryFromRecommendations = true,
            LogEveryNSteps = 1000,
            Seed = context.Seed,
        };
        CollaborativeTrainingData data = CollaborativeTrainingData.WithLastItemHeldOut(lastFm.UserCount, lastFm.ItemCount, trainSets, 0, context.Seed);
        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Message.Contains("validation")) context.Log("  " + e.Message); };

        using CollaborativeEmbeddingModel trained = CollaborativeEmbeddingTrainer.Train(ml, data, options, trainSets, out TrainingResult result);
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} pairs/s");

        // The held-out validation item is training data for the test protocol: the final model is evaluated as
        // trained (on all but one item per user), with every train.txt item excluded from the ranking.
        var (table, _) = context.Time($"evaluate on {test.Count:N0} test users (history excluded)", () => RecommenderEvaluator.Evaluate(trained, test, Ks, excludeHistory: true));
        context.LogMetrics(table);

        return new BenchmarkResult()
            .Metric("hr_10", table[MetricNames.HitRate, 10])
            .Metric("hr_20", table[MetricNames.HitRate, 20])
            .Metric("ndcg_10", table[MetricNames.Ndcg, 10])
            .Metric("ndcg_20", table[MetricNames.Ndcg, 20])
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Add("epoch_seconds", (result.TrainingTime.TotalSeconds / Math.Max(1, result.EpochsCompleted)).ToString("F2", CultureInfo.InvariantCulture))
            .Add("pairs_per_second", result.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
    }
}
