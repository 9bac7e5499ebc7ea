using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// Learning measured against the library's strongest counting baseline: on <see cref="AlternatingStylesTask"/> the
/// next item depends on the last two items, so co-occurrence (successors of the last item) is capped well below what a
/// sequence model that uses order reaches. Models train on all but each user's last item and are scored on it through
/// Fit, Save, Load, Transform and Evaluate; co-occurrence learns from the same training sequences.
/// </summary>
public sealed class OrderMattersTests(ITestOutputHelper output)
{
    private static readonly int[][] Sequences = AlternatingStylesTask.Sequences(userCount: 600, seed: 29);

    private static readonly Lazy<MetricsTable> CoOccurrence = new(() =>
    {
        int[][] train = Sequences.Select(s => s[..^1]).ToArray();
        EvaluationCase[] test = Sequences.Select((s, user) => new EvaluationCase(user, s[..^1], [s[^1]])).ToArray();
        return RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(train, AlternatingStylesTask.ItemCount), test, [10], excludeHistory: true);
    });

    // Measured 2026-11-30 on the 2-core machine, 600 held-out users, 8 epochs: decoder-only Recall@10 0.9933 / NDCG@10
    // 0.8618, SASRec 0.9967 / 0.9308, against co-occurrence 0.3983 / 0.1864 (window 3: 0.3417 / 0.1666). The bars ask
    // for 2× co-occurrence's Recall@10 and 3× its NDCG@10. (The encoder-decoder reached 1.0000 / 0.9567 after 15 epochs
    // but costs three times as long here; KnownAnswerTests covers it.)
    private const int Epochs = 8;

    [Fact]
    public void CoOccurrenceCannotTellTheNextStyleFromTheLastItem()
    {
        int[][] train = Sequences.Select(s => s[..^1]).ToArray();
        EvaluationCase[] test = Sequences.Select((s, user) => new EvaluationCase(user, s[..^1], [s[^1]])).ToArray();
        MetricsTable windowed = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(train, AlternatingStylesTask.ItemCount, historyWindow: 3), test, [10], excludeHistory: true);
        output.WriteLine($"co-occurrence: Recall@10 {CoOccurrence.Value[MetricNames.Recall, 10]:F4}, NDCG@10 {CoOccurrence.Value[MetricNames.Ndcg, 10]:F4}; window 3: Recall@10 {windowed[MetricNames.Recall, 10]:F4}, NDCG@10 {windowed[MetricNames.Ndcg, 10]:F4}");

        // The last item leaves 23 equally likely styles, so successor counts cap Recall@10 near 10 / 23 = 0.43;
        // measured 0.3983 (window 1) and 0.3417 (window 3).
        CoOccurrence.Value[MetricNames.Recall, 10].Should().BeLessThan(0.5);
        windowed[MetricNames.Recall, 10].Should().BeLessThan(0.5);
    }

    [Fact]
    public void GenerativeRecommenderBeatsCoOccurrence()
    {
        var ml = new MLContext(seed: 1);
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding, epochs: Epochs);
        options.UserColumnName = "UserId";
        options.TimestampColumnName = nameof(CodedInteraction.Timestamp);
        options.HoldOutLastItemForValidation = false;
        var pipeline = KeyColumns(ml)
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(CodedInteraction.Codes)))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(options));

        RecommendationMetrics metrics = Measure(ml, pipeline);

        ShouldBeatCoOccurrence(metrics);
    }

    [Fact]
    public void SasRecBeatsCoOccurrence()
    {
        var ml = new MLContext(seed: 1);
        var options = new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.SasRec,
            Loss = CollaborativeLoss.CrossEntropy,
            Dimension = 32,
            Heads = 2,
            Layers = 2,
            Dropout = 0.0,
            MaxHistoryLength = 10,
            NumberOfEpochs = Epochs,
            BatchSize = 64,
            LearningRate = 3e-3,
            EarlyStoppingPatience = 0,
            HoldOutLastItemForValidation = false,
            TimestampColumnName = nameof(CodedInteraction.Timestamp),
            Device = TorchDeviceKind.Cpu,
            Seed = 11,
            LogEveryNSteps = 10_000,
        };
        var pipeline = KeyColumns(ml).Append(ml.GenerativeRecommendation().CollaborativeEmbedding(options));

        RecommendationMetrics metrics = Measure(ml, pipeline);

        ShouldBeatCoOccurrence(metrics);
    }

    private static void ShouldBeatCoOccurrence(RecommendationMetrics metrics)
    {
        double recall = CoOccurrence.Value[MetricNames.Recall, 10], ndcg = CoOccurrence.Value[MetricNames.Ndcg, 10];
        metrics.Recall(10).Should().BeGreaterThan(2 * recall, $"co-occurrence reaches Recall@10 {recall:F4} from the last item alone");
        metrics.Ndcg(10).Should().BeGreaterThan(3 * ndcg, $"co-occurrence reaches NDCG@10 {ndcg:F4} from the last item alone");
    }

    private static EstimatorChain<Microsoft.ML.Transforms.ValueToKeyMappingTransformer> KeyColumns(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(CodedInteraction.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(CodedInteraction.Item)));

    private RecommendationMetrics Measure<T>(MLContext ml, EstimatorChain<T> pipeline)
        where T : class, ITransformer
    {
        IDataView rows = ml.Data.LoadFromEnumerable(AlternatingStylesTask.Rows(Sequences));
        InteractionSplit split = ml.GenerativeRecommendation().LeaveOneOutSplit(rows, nameof(CodedInteraction.User), nameof(CodedInteraction.Item), nameof(CodedInteraction.Timestamp), withValidation: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RecommendationMetrics metrics = SavedPipeline.FitSaveLoadEvaluate(ml, pipeline, split.Train, split.Test, 1, 10);
        output.WriteLine($"{metrics.UserCount} test users: Recall@1 {metrics.Recall(1):F4}, Recall@10 {metrics.Recall(10):F4}, NDCG@10 {metrics.Ndcg(10):F4}; "
            + $"co-occurrence Recall@10 {CoOccurrence.Value[MetricNames.Recall, 10]:F4}, NDCG@10 {CoOccurrence.Value[MetricNames.Ndcg, 10]:F4}; {clock.Elapsed.TotalSeconds:F1} s");
        return metrics;
    }
}
