using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>generative-variants-beauty</c>: what the item-level input and the decoder-only architecture buy. The four
/// combinations (encoder-decoder / decoder-only × item-embedding / code-token input) train on LETTER's Beauty codes
/// for the same wall-clock budget each (--minutes, default 10), one after another in one process, then each is
/// evaluated on the same first --test-users test cases (default 2,000; beam 20). Reports training throughput
/// (samples/s), epochs reached and Recall/NDCG@10 per variant: accuracy at equal time on this machine.
/// </summary>
internal sealed class GenerativeVariantsBeautyBenchmark : IBenchmark
{
    private static readonly (string Key, GenerativeArchitecture Architecture, GenerativeInputMode Input)[] Variants =
    [
        ("ed_item", GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.ItemEmbedding),
        ("ed_code", GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.CodeTokens),
        ("do_item", GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding),
        ("do_code", GenerativeArchitecture.DecoderOnly, GenerativeInputMode.CodeTokens),
    ];

    public string Name => "generative-variants-beauty";

    public string Description => "encoder-decoder vs decoder-only x item-embedding vs code-token input on LETTER's Beauty codes, equal --minutes each (default 10)";

    public IReadOnlyCollection<string> ExtraOptions => ["test-users", "variants"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        LeaveOneOutSplit split = BenchmarkDatasets.BeautyLeaveOneOut(beauty);
        var (codes, _) = context.Time("import beauty/Beauty.letter-index.json", () => SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json")));
        EvaluationCase[] validation = BenchmarkDatasets.ToEvaluationCases(split.ValidationCases);
        EvaluationCase[] test = [.. BenchmarkDatasets.ToEvaluationCases(split.TestCases).Take(context.IntOption("test-users", 2000))];
        TimeSpan budget = context.TimeBudget ?? TimeSpan.FromMinutes(10);
        string[] selected = context.Option("variants")?.Split(',') ?? Variants.Select(v => v.Key).ToArray();
        if (selected.FirstOrDefault(key => Variants.All(v => v.Key != key)) is { } unknown)
        {
            throw new UsageException($"--variants takes a comma-separated subset of {string.Join(",", Variants.Select(v => v.Key))}; '{unknown}' is not one.");
        }

        var result = new BenchmarkResult();
        foreach (var (key, architecture, input) in Variants.Where(v => selected.Contains(v.Key)))
        {
            var options = new GenerativeRecommenderOptions
            {
                Architecture = architecture,
                InputMode = input,
                BatchSize = 256,
                LearningRate = 1e-3,
                WarmupSteps = 500,
                LearningRateSchedule = LearningRateSchedule.Constant,
                NumberOfEpochs = 200,
                ValidateEveryNEpochs = 1,
                EarlyStoppingPatience = 0, // equal time for every variant: the budget ends training, not the curve
                MaxValidationUsers = 500,
                MaxTrainingTime = budget,
                BeamSize = 20,
                ExcludeHistoryFromRecommendations = false,
                LogEveryNSteps = 200,
                Seed = context.Seed,
            };
            var ml = new MLContext(context.Seed);
            ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) context.Log("  " + e.Message); };
            context.Log($"{key}: {architecture}, input {input}, budget {budget}");
            using GenerativeRecommenderModel model = GenerativeRecommenderTrainer.Train(ml, codes, split.TrainSequences, validation, options, out TrainingResult training);
            var (table, evalTime) = context.Time($"{key}: evaluate {test.Length:N0} test cases (beam 20)", () => RecommenderEvaluator.Evaluate(model, test, [10], excludeHistory: false, batchSize: 256));
            context.Log($"{key}: {training.EpochsCompleted} epochs, {training.ExamplesPerSecond:F0} samples/s, Recall@10 {table[MetricNames.Recall, 10]:F4}, NDCG@10 {table[MetricNames.Ndcg, 10]:F4}");
            result
                .Metric($"{key}_recall_10", table[MetricNames.Recall, 10])
                .Metric($"{key}_ndcg_10", table[MetricNames.Ndcg, 10])
                .Add($"{key}_samples_per_second", training.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture))
                .Count($"{key}_epochs", training.EpochsCompleted)
                .Add($"{key}_decode_ms_per_user", (evalTime.TotalMilliseconds / test.Length).ToString("F2", CultureInfo.InvariantCulture));
        }

        return result.Count("test_users", test.Length).Seconds("seconds_each", budget).Seconds("seconds", context.Elapsed);
    }
}
