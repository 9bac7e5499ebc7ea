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
/// Known-answer tests: on <see cref="NextItemTask"/> (next item = item + 1 mod 36, ideal codes) every sequential model
/// must put the held-out next item first for at least 95% of the held-out users, trained and served through the public
/// ML.NET path (Fit, Save, Load in a fresh context, Transform, Evaluate). A model that misses this bar has a bug.
/// </summary>
public sealed class KnownAnswerTests(ITestOutputHelper output)
{
    private const double KnownAnswerBar = 0.95;

    private static readonly CodedInteraction[] Rows = NextItemTask.Rows(userCount: 240, seed: 17);

    [Theory]
    [InlineData(GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.CodeTokens)]
    [InlineData(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding)]
    public void GenerativeRecommenderPutsTheNextItemFirst(GenerativeArchitecture architecture, GenerativeInputMode input)
    {
        var ml = new MLContext(seed: 1);
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny(architecture, input, epochs: 30);
        options.UserColumnName = "UserId";
        options.TimestampColumnName = nameof(CodedInteraction.Timestamp);
        options.HoldOutLastItemForValidation = false;
        var pipeline = KeyColumns(ml)
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(CodedInteraction.Codes)))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(options));

        RecommendationMetrics metrics = Measure(ml, pipeline);

        metrics.Recall(1).Should().BeGreaterThanOrEqualTo(KnownAnswerBar, $"next = item + 1 is fully determined by the last item ({architecture}, {input})");
    }

    [Fact]
    public void SasRecPutsTheNextItemFirst()
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
            NumberOfEpochs = 30,
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

        metrics.Recall(1).Should().BeGreaterThanOrEqualTo(KnownAnswerBar, "next = item + 1 is fully determined by the last item");
    }

    private static EstimatorChain<Microsoft.ML.Transforms.ValueToKeyMappingTransformer> KeyColumns(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(CodedInteraction.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(CodedInteraction.Item)));

    private RecommendationMetrics Measure<T>(MLContext ml, EstimatorChain<T> pipeline)
        where T : class, ITransformer
    {
        IDataView rows = ml.Data.LoadFromEnumerable(Rows);
        InteractionSplit split = ml.GenerativeRecommendation().LeaveOneOutSplit(rows, nameof(CodedInteraction.User), nameof(CodedInteraction.Item), nameof(CodedInteraction.Timestamp), withValidation: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RecommendationMetrics metrics = SavedPipeline.FitSaveLoadEvaluate(ml, pipeline, split.Train, split.Test, 1, 10);
        output.WriteLine($"{metrics.UserCount} test users: Recall@1 {metrics.Recall(1):F4}, Recall@10 {metrics.Recall(10):F4}; {clock.Elapsed.TotalSeconds:F1} s");
        return metrics;
    }
}
