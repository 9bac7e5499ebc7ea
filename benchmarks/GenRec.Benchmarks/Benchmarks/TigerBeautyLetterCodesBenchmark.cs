using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>tiger-beauty-letter-codes</c>: the TIGER/LETTER encoder-decoder trained on LETTER's released Beauty semantic IDs
/// (imported, so the identifiers are exactly the paper's), leave-one-out with history capped at 20, prefix-trie
/// constrained beam search (beam 20), full test split, history not excluded. Trains for --minutes (default 90)
/// with validation Recall@10 on a fixed user subset for early stopping and the validation curve.
/// </summary>
internal sealed class TigerBeautyLetterCodesBenchmark : IBenchmark
{
    private static readonly int[] Ks = [5, 10];

    public string Name => "tiger-beauty-letter-codes";

    public string Description => "TIGER/LETTER transformer on LETTER's Beauty codes, beam 20, test split; --minutes budget (default 90); --via mlnet (default: interaction rows with a SemanticId column, Fit/Save/Load) or trainer";

    public IReadOnlyCollection<string> ExtraOptions => ["input-mode", "architecture", "batch-size", "lr", "schedule", "warmup", "temperature", LossScopeOption.Name, "epochs", "validate-every", "patience", "validation-users", "unconstrained-users", "test-users", "via"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        string via = context.Option("via") ?? "mlnet";
        if (via != "mlnet" && via != "trainer")
        {
            throw new UsageException($"--via must be mlnet or trainer; got '{via}'.");
        }

        if (via == "mlnet" && context.IntOption("test-users", 0) > 0)
        {
            throw new UsageException("--test-users applies to --via trainer only; --via mlnet scores the whole test split through the loaded zip.");
        }

        var total = Stopwatch.StartNew();
        GenerativeRecommenderOptions options = Options(context);
        if (via == "mlnet")
        {
            return TigerBeautyLetterCodesViaMlNet.Run(context, options);
        }

        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        LeaveOneOutSplit split = BenchmarkDatasets.BeautyLeaveOneOut(beauty);
        var (codes, _) = context.Time("import beauty/Beauty.letter-index.json", () => SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json")));
        EvaluationCase[] validation = BenchmarkDatasets.ToEvaluationCases(split.ValidationCases);
        EvaluationCase[] test = BenchmarkDatasets.ToEvaluationCases(split.TestCases);
        int testUsers = context.IntOption("test-users", 0); // 0 = the whole test split (only smoke runs use fewer)
        if (testUsers > 0)
        {
            test = [.. test.Take(testUsers)];
        }

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) context.Log("  " + e.Message); };
        context.Log($"training: {options.Architecture}, input {options.InputMode}, {options.EncoderLayers}+{options.DecoderLayers} layers, d {options.ModelDimension}, {options.Heads}x{options.HeadDimension} heads, ff {options.FeedForwardDimension}, batch {options.BatchSize}, lr {options.LearningRate}, budget {options.MaxTrainingTime}");

        using GenerativeRecommenderModel model = GenerativeRecommenderTrainer.Train(ml, codes, split.TrainSequences, validation, options, out TrainingResult result);
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} samples/s");
        foreach (var (seconds, epoch, metric) in result.ValidationCurve)
        {
            context.Log($"  curve: {seconds,7:F0} s  epoch {epoch,3}  valid Recall@10 {metric:F4}");
        }

        var counting = new ValidityCheckingRecommender(model);
        var (table, evalTime) = context.Time($"evaluate on {test.Length:N0} test cases (beam {options.BeamSize})", () => RecommenderEvaluator.Evaluate(counting, test, Ks, excludeHistory: false, batchSize: 256));
        context.LogMetrics(table);

        RecommendationRequest[] sample = [.. test.Take(context.IntOption("unconstrained-users", 500)).Select(c => new RecommendationRequest(c.UserIndex, c.History))];
        InvalidIdReport unconstrained = model.CountInvalidIds(sample, options.BeamSize);
        context.Log($"returned {counting.Returned:N0} IDs over the test split, {counting.Invalid} invalid; unconstrained decoding on {sample.Length} users would invent {unconstrained.InvalidRate:P1} invalid beams");

        string curve = string.Join(";", result.ValidationCurve.Select(p => $"{p.Seconds.ToString("F0", CultureInfo.InvariantCulture)}s:{p.Metric.ToString("F4", CultureInfo.InvariantCulture)}"));
        return new BenchmarkResult()
            .Metric("recall_5", table[MetricNames.Recall, 5])
            .Metric("recall_10", table[MetricNames.Recall, 10])
            .Metric("ndcg_5", table[MetricNames.Ndcg, 5])
            .Metric("ndcg_10", table[MetricNames.Ndcg, 10])
            .Count("invalid_ids", counting.Invalid)
            .Count("returned_ids", counting.Returned)
            .Add("unconstrained_invalid_rate", unconstrained.InvalidRate.ToString("F4", CultureInfo.InvariantCulture))
            .Metric("valid_recall_10", result.BestValidationMetric ?? double.NaN)
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Add("samples_per_second", result.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture))
            .Seconds("eval_seconds", evalTime)
            .Add("decode_ms_per_user", (evalTime.TotalMilliseconds / test.Length).ToString("F2", CultureInfo.InvariantCulture))
            .Add("curve", curve.Length > 0 ? curve : "none")
            .Add("architecture", options.Architecture == GenerativeArchitecture.DecoderOnly ? "decoder-only" : "encoder-decoder")
            .Add("schedule", ScheduleOption.Format(options.LearningRateSchedule))
            .Add("loss_scope", LossScopeOption.Format(options.LossScope))
            .Add("temperature", options.Temperature.ToString(CultureInfo.InvariantCulture))
            .Seconds("seconds", total.Elapsed)
            .Add("via", "trainer");
    }

    /// <summary>The recipe both paths train with (command-line options over TIGER's settings).</summary>
    private static GenerativeRecommenderOptions Options(BenchmarkContext context)
    {
        string mode = context.Option("input-mode") ?? "item-embedding";
        return new GenerativeRecommenderOptions
        {
            InputMode = mode == "code-tokens" ? GenerativeInputMode.CodeTokens : GenerativeInputMode.ItemEmbedding,
            Architecture = context.Option("architecture") == "decoder-only" ? GenerativeArchitecture.DecoderOnly : GenerativeArchitecture.EncoderDecoder,
            BatchSize = context.IntOption("batch-size", 256),
            LearningRate = context.DoubleOption("lr", 1e-3),
            WarmupSteps = context.IntOption("warmup", 500),
            LearningRateSchedule = ScheduleOption.Read(context, LearningRateSchedule.Constant),
            Temperature = context.DoubleOption("temperature", 1.0),
            LossScope = LossScopeOption.Read(context),
            NumberOfEpochs = context.IntOption("epochs", 200),
            ValidateEveryNEpochs = context.IntOption("validate-every", 2),
            EarlyStoppingPatience = context.IntOption("patience", 3),
            MaxValidationUsers = context.IntOption("validation-users", 2000),
            MaxTrainingTime = context.TimeBudget ?? TimeSpan.FromMinutes(90),
            BeamSize = 20,
            ExcludeHistoryFromRecommendations = false,
            LogEveryNSteps = 200,
            Seed = context.Seed,
        };
    }

    /// <summary>Counts every returned ID and those that are not an existing item (must stay 0: the trie forbids them).</summary>
    private sealed class ValidityCheckingRecommender : IRecommender
    {
        private readonly GenerativeRecommenderModel _model;

        public ValidityCheckingRecommender(GenerativeRecommenderModel model) => _model = model;

        public long Returned { get; private set; }

        public long Invalid { get; private set; }

        public int ItemCount => _model.ItemCount;

        public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
        {
            int[][] result = _model.Recommend(requests, k, excludeHistory);
            foreach (int[] row in result)
            {
                Returned += row.Length;
                Invalid += row.Count(item => item < 0 || item >= _model.ItemCount);
            }

            return result;
        }
    }
}
