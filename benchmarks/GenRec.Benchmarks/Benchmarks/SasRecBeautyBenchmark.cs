using System.Diagnostics;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>sasrec-beauty</c>: SASRec with full-softmax cross-entropy on Amazon Beauty, leave-one-out, full ranking over
/// all items, history not excluded (the TIGER paper's SASRec row: Recall@10 0.0605, NDCG@10 0.0318). Trains on the
/// training sequences, early-stops on validation Recall@10 within the time budget (--minutes, default 40), then
/// evaluates on the test split (history = training sequence + validation item).
/// </summary>
internal sealed class SasRecBeautyBenchmark : IBenchmark
{
    private static readonly int[] Ks = [5, 10];

    public string Name => "sasrec-beauty";

    public string Description => "SASRec (cross-entropy) on Beauty, leave-one-out, full ranking, test split; --minutes budget (default 40); --via mlnet (default: Fit/Save/Load through the ML.NET estimator) or trainer";

    public IReadOnlyCollection<string> ExtraOptions => ["dimension", "layers", "heads", "dropout", "max-length", "batch-size", "lr", ScheduleOption.Name, "warmup", "weight-decay", "epochs", "validate-every", "patience", "via", "recency-positions", "exclude-history"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        string via = context.Option("via") ?? "mlnet";
        if (via == "mlnet")
        {
            return SasRecBeautyViaMlNet.Run(context, Options(context), Ks);
        }

        if (via != "trainer")
        {
            throw new UsageException($"--via must be mlnet or trainer; got '{via}'.");
        }

        var total = Stopwatch.StartNew();
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        LeaveOneOutSplit split = SequenceSplitter.LeaveOneOut(beauty, maxHistory: 0);
        EvaluationCase[] validation = [.. split.ValidationCases.Select(c => new EvaluationCase(c.UserIndex, c.FullHistory, [c.Target]))];
        EvaluationCase[] test = [.. split.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.FullHistory, [c.Target]))];
        var data = new CollaborativeTrainingData(split.UserCount, split.ItemCount, [.. split.TrainSequences], validation);

        CollaborativeEmbeddingOptions options = Options(context);
        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) context.Log("  " + e.Message); };

        context.Log($"training SASRec: d={options.Dimension}, {options.Layers} blocks, {options.Heads} head(s), dropout {options.Dropout}, max length {options.MaxHistoryLength}, batch {options.BatchSize}, lr {options.LearningRate}, budget {options.MaxTrainingTime}");
        using CollaborativeEmbeddingModel model = CollaborativeEmbeddingTrainer.Train(ml, data, options, null, out TrainingResult result);
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} positions/s");
        foreach (var (seconds, epoch, metric) in result.ValidationCurve)
        {
            context.Log($"  curve: {seconds,7:F0} s  epoch {epoch,3}  valid Recall@10 {metric:F4}");
        }

        var (table, evalTime) = context.Time($"evaluate on {test.Length:N0} test cases", () => RecommenderEvaluator.Evaluate(model, test, Ks, excludeHistory: options.ExcludeHistoryFromRecommendations, batchSize: 512));
        context.LogMetrics(table);

        double epochSeconds = result.TrainingTime.TotalSeconds / Math.Max(1, result.EpochsCompleted);
        return new BenchmarkResult()
            .Metric("recall_5", table[MetricNames.Recall, 5])
            .Metric("recall_10", table[MetricNames.Recall, 10])
            .Metric("ndcg_5", table[MetricNames.Ndcg, 5])
            .Metric("ndcg_10", table[MetricNames.Ndcg, 10])
            .Metric("valid_recall_10", result.BestValidationMetric ?? double.NaN)
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Count("best_epoch", result.BestEpoch)
            .Add("epoch_seconds", epochSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))
            .Add("positions_per_second", result.ExamplesPerSecond.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))
            .Seconds("eval_seconds", evalTime)
            .Seconds("seconds", total.Elapsed)
            .Count("exclude_history", options.ExcludeHistoryFromRecommendations ? 1 : 0)
            .Add("via", "trainer");
    }

    /// <summary>The SASRec recipe shared by both paths.</summary>
    internal static CollaborativeEmbeddingOptions Options(BenchmarkContext context) =>
        new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.SasRec,
            Loss = CollaborativeLoss.CrossEntropy,
            Dimension = context.IntOption("dimension", 64),
            Layers = context.IntOption("layers", 2),
            Heads = context.IntOption("heads", 1),
            Dropout = context.DoubleOption("dropout", 0.5),
            MaxHistoryLength = context.IntOption("max-length", 50),
            BatchSize = context.IntOption("batch-size", 128),
            LearningRate = context.DoubleOption("lr", 1e-3),
            LearningRateSchedule = ScheduleOption.Read(context, LearningRateSchedule.Constant),
            WarmupSteps = context.IntOption("warmup", 0),
            WeightDecay = context.DoubleOption("weight-decay", 0.0),
            RecencyPositions = context.IntOption("recency-positions", 0) == 1,
            NumberOfEpochs = context.IntOption("epochs", 200),
            ValidateEveryNEpochs = context.IntOption("validate-every", 2),
            EarlyStoppingPatience = context.IntOption("patience", 4),
            MaxTrainingTime = context.TimeBudget ?? TimeSpan.FromMinutes(40),
            // 0 (the default, TIGER's protocol): the user's own items stay in the ranking. 1: they are left out of it
            // and out of validation, as RecBole's full ranking does; no Beauty target is in its user's history.
            ExcludeHistoryFromRecommendations = context.IntOption("exclude-history", 0) == 1,
            LogEveryNSteps = 200,
            Seed = context.Seed,
        };
}
