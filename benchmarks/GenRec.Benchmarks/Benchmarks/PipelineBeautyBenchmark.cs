using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>pipeline-beauty</c>: the whole library on Beauty — our SASRec item embeddings → our RQ-VAE tokenizer (LETTER
/// regularizers, Sinkhorn collisions; the same settings as <c>tokenizer-beauty</c>) → the generative recommender
/// trained on those codes, evaluated like <c>tiger-beauty-letter-codes</c> (test split, beam 20, history not
/// excluded). --minutes is the generative training budget.
/// </summary>
internal sealed class PipelineBeautyBenchmark : IBenchmark
{
    private static readonly int[] Ks = [5, 10];

    public string Name => "pipeline-beauty";

    public string Description => "SASRec embeddings -> RQ-VAE (LETTER) codes -> generative recommender on Beauty, beam 20, test split; --minutes generative budget (default 90); --via mlnet (default: one ML.NET pipeline, Fit/Save/Load) or trainer";

    public IReadOnlyCollection<string> ExtraOptions =>
        [.. TokenizerBeautyBenchmark.TokenizerOptionNames, .. BeautySasRecEmbeddings.OptionNames, "architecture", "validation-users", "patience", "via"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        GenerativeRecommenderOptions options = GenerativeOptions(context);
        string via = context.Option("via") ?? "mlnet";
        if (via == "mlnet")
        {
            return PipelineBeautyViaMlNet.Run(context, options, () => TokenizerBeautyBenchmark.LetterOptions(context, collaborative: true, diversity: true, TokenizerBeautyBenchmark.TunedDeadCodeSteps));
        }

        if (via != "trainer")
        {
            throw new UsageException($"--via must be mlnet or trainer; got '{via}'.");
        }

        var total = Stopwatch.StartNew();
        InteractionDataset beauty = BenchmarkDatasets.LoadBeauty(context);
        LeaveOneOutSplit split = BenchmarkDatasets.BeautyLeaveOneOut(beauty);
        BeautySasRecEmbeddings embeddings = BeautySasRecEmbeddings.Load(context);
        RqVaeOptions tokenizerOptions = TokenizerBeautyBenchmark.LetterOptions(context, collaborative: true, diversity: true, TokenizerBeautyBenchmark.TunedDeadCodeSteps);
        var (tokenizer, tokenizerTime) = TokenizerBeautyBenchmark.TrainTokenizer(context, embeddings, tokenizerOptions, "pipeline");
        using RqVaeModel tokenizerModel = tokenizer;
        SemanticIdTable codes = tokenizerModel.Codes;
        context.LogCodes(CodeStatistics.Compute(codes));

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Message.Contains("validation")) context.Log("  " + e.Message); };
        using GenerativeRecommenderModel model = GenerativeRecommenderTrainer.Train(ml, codes, split.TrainSequences, BenchmarkDatasets.ToEvaluationCases(split.ValidationCases), options, out TrainingResult result);
        context.Log($"generative: {options.Architecture}, {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4}");

        var (table, evalTime) = context.Time("evaluate the test split (beam 20)", () => RecommenderEvaluator.Evaluate(model, BenchmarkDatasets.ToEvaluationCases(split.TestCases), Ks, excludeHistory: false));
        context.LogMetrics(table);
        return new BenchmarkResult()
            .Metric("recall_5", table[MetricNames.Recall, 5])
            .Metric("recall_10", table[MetricNames.Recall, 10])
            .Metric("ndcg_5", table[MetricNames.Ndcg, 5])
            .Metric("ndcg_10", table[MetricNames.Ndcg, 10])
            .Metric("valid_recall_10", result.BestValidationMetric ?? double.NaN)
            .Add("architecture", options.Architecture == GenerativeArchitecture.DecoderOnly ? "decoder-only" : "encoder-decoder")
            .Add("collision_rate", CodeStatistics.Compute(codes).CollisionRate.ToString("F4", CultureInfo.InvariantCulture))
            .Seconds("sasrec_seconds", TimeSpan.FromSeconds(embeddings.TrainSeconds))
            .Seconds("tokenizer_seconds", tokenizerTime)
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Seconds("eval_seconds", evalTime)
            .Seconds("seconds", total.Elapsed)
            .Add("via", "trainer");
    }

    /// <summary>The generative recipe shared by both paths.</summary>
    internal static GenerativeRecommenderOptions GenerativeOptions(BenchmarkContext context) =>
        new GenerativeRecommenderOptions
        {
            InputMode = GenerativeInputMode.ItemEmbedding,
            Architecture = context.Option("architecture") == "encoder-decoder" ? GenerativeArchitecture.EncoderDecoder : GenerativeArchitecture.DecoderOnly,
            LearningRate = 1e-3,
            WarmupSteps = 500,
            LearningRateSchedule = LearningRateSchedule.Constant,
            NumberOfEpochs = 200,
            ValidateEveryNEpochs = 2,
            EarlyStoppingPatience = context.IntOption("patience", 3),
            MaxValidationUsers = context.IntOption("validation-users", 2000),
            MaxTrainingTime = context.TimeBudget ?? TimeSpan.FromMinutes(90),
            BeamSize = 20,
            ExcludeHistoryFromRecommendations = false,
            LogEveryNSteps = 500,
            Seed = context.Seed,
        };
}
