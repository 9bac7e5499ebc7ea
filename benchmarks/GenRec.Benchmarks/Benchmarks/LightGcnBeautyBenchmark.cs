using System.Globalization;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>lightgcn-beauty</c>: LightGCN-BPR on Beauty under the same leave-one-out protocol as <c>sasrec-beauty</c>
/// (training sequences as the graph, validation Recall@10 for early stopping, test split with full ranking).
/// Reported both with history kept (TIGER protocol, comparable to the Beauty rows) and excluded (the usual
/// protocol for graph models, which never recommend what a user already has).
/// </summary>
internal sealed class LightGcnBeautyBenchmark : IBenchmark
{
    private static readonly int[] Ks = [5, 10];

    public string Name => "lightgcn-beauty";

    public string Description => "LightGCN-BPR on Beauty, leave-one-out, full ranking, test split (history kept and excluded); --minutes budget (default 10)";

    public IReadOnlyCollection<string> ExtraOptions => ["dimension", "layers", "batch-size", "lr", "l2", "epochs", "validate-every", "patience"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        LeaveOneOutSplit split = SequenceSplitter.LeaveOneOut(beauty, maxHistory: 0);
        EvaluationCase[] validation = [.. split.ValidationCases.Select(c => new EvaluationCase(c.UserIndex, c.FullHistory, [c.Target]))];
        EvaluationCase[] test = [.. split.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.FullHistory, [c.Target]))];
        var data = new CollaborativeTrainingData(split.UserCount, split.ItemCount, [.. split.TrainSequences], validation);
        var options = new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.LightGcn,
            Loss = CollaborativeLoss.Bpr,
            Dimension = context.IntOption("dimension", 64),
            GraphLayers = context.IntOption("layers", 3),
            BatchSize = context.IntOption("batch-size", 2048),
            LearningRate = context.DoubleOption("lr", 1e-3),
            L2Regularization = context.DoubleOption("l2", 1e-4),
            NumberOfEpochs = context.IntOption("epochs", 1000),
            ValidateEveryNEpochs = context.IntOption("validate-every", 5),
            EarlyStoppingPatience = context.IntOption("patience", 5),
            MaxTrainingTime = context.TimeBudget ?? TimeSpan.FromMinutes(10),
            ExcludeHistoryFromRecommendations = true,
            LogEveryNSteps = 1000,
            Seed = context.Seed,
        };
        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Message.Contains("validation")) context.Log("  " + e.Message); };

        using CollaborativeEmbeddingModel model = CollaborativeEmbeddingTrainer.Train(ml, data, options, null, out TrainingResult result);
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} pairs/s");

        MetricsTable kept = RecommenderEvaluator.Evaluate(model, test, Ks, excludeHistory: false);
        MetricsTable excluded = RecommenderEvaluator.Evaluate(model, test, Ks, excludeHistory: true);
        context.Log("history kept:\n" + kept + "\nhistory excluded:\n" + excluded);
        return new BenchmarkResult()
            .Metric("recall_5", kept[MetricNames.Recall, 5])
            .Metric("recall_10", kept[MetricNames.Recall, 10])
            .Metric("ndcg_5", kept[MetricNames.Ndcg, 5])
            .Metric("ndcg_10", kept[MetricNames.Ndcg, 10])
            .Metric("excl_recall_10", excluded[MetricNames.Recall, 10])
            .Metric("excl_ndcg_10", excluded[MetricNames.Ndcg, 10])
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Add("epoch_seconds", (result.TrainingTime.TotalSeconds / Math.Max(1, result.EpochsCompleted)).ToString("F2", CultureInfo.InvariantCulture))
            .Add("pairs_per_second", result.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
    }
}
