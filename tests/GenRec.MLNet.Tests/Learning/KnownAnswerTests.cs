using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tests.Generative.Retrieval;
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

    // Measured 2026-11-29 on the 2-core machine (Recall@1 on 240 held-out users): both generative layouts reach 1.0000
    // after 10 epochs (5 epochs: decoder-only 0.9167, encoder-decoder 0.8292); SASRec and retrieval reach 1.0000 after
    // 5 epochs already and 10 is kept for margin. A random ranking of the 31 items outside the history puts it first
    // for 1 user in 31.
    private const int Epochs = 10;

    private static readonly CodedInteraction[] Rows = NextItemTask.Rows(userCount: 240, seed: 17);

    [Theory]
    [InlineData(GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.CodeTokens, GenerativeLossScope.Level)]
    [InlineData(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding, GenerativeLossScope.Level)]
    [InlineData(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding, GenerativeLossScope.WholeVocabulary)]
    public void GenerativeRecommenderPutsTheNextItemFirst(GenerativeArchitecture architecture, GenerativeInputMode input, GenerativeLossScope lossScope)
    {
        var ml = new MLContext(seed: 1);
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny(architecture, input, epochs: Epochs);
        options.LossScope = lossScope;
        options.UserColumnName = "UserId";
        options.TimestampColumnName = nameof(CodedInteraction.Timestamp);
        options.HoldOutLastItemForValidation = false;
        var pipeline = KeyColumns(ml)
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(CodedInteraction.Codes)))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(options));

        RecommendationMetrics metrics = Measure(ml, pipeline);

        metrics.Recall(1).Should().BeGreaterThanOrEqualTo(KnownAnswerBar, $"next = item + 1 is fully determined by the last item ({architecture}, {input}, {lossScope})");
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

        metrics.Recall(1).Should().BeGreaterThanOrEqualTo(KnownAnswerBar, "next = item + 1 is fully determined by the last item");
    }

    [Theory]
    [InlineData(RetrievalLoss.CosineMargin, RetrievalSimilarity.Cosine, false)]
    [InlineData(RetrievalLoss.Softmax, RetrievalSimilarity.Cosine, false)]
    [InlineData(RetrievalLoss.Softmax, RetrievalSimilarity.DotProduct, true)]
    public void RetrievalFindsTheMissingItemOfTheUsersBlock(RetrievalLoss loss, RetrievalSimilarity similarity, bool excludeKnownItems)
    {
        // Retrieval reads the history as a set, so its known answer is ItemBlocksTask's (see there why not the ring).
        var ml = new MLContext(seed: 1);
        IDataView rows = ml.Data.LoadFromEnumerable(ItemBlocksTask.Rows(userCount: 240, seed: 23));
        InteractionSplit split = ml.GenerativeRecommendation().TrainTestSplit(rows, testFraction: 0.2, userColumnName: nameof(BlockInteraction.User),
            itemColumnName: nameof(BlockInteraction.Item), timestampColumnName: nameof(BlockInteraction.Timestamp), shuffle: true, seed: 5);
        GenerativeRetrievalOptions options = RetrievalTestData.Tiny(epochs: Epochs);
        options.UseUserTokens = false;
        options.Loss = loss;
        options.Similarity = similarity;
        options.SoftmaxExcludesOtherKnownItems = excludeKnownItems;
        // One positive per prompt: the default 4 would take all 4 training items of a user as positives at once and
        // leave every training prompt empty (measured: Recall@1 0.071 after 30 epochs), while the test prompt holds 4 items.
        options.PositivesPerPrompt = 1;
        options.TimestampColumnName = nameof(BlockInteraction.Timestamp);
        var pipeline = KeyColumns(ml)
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(BlockInteraction.Codes)))
            .Append(ml.Transforms.CopyColumns("ItemEmbedding", nameof(BlockInteraction.Embedding)))
            .Append(ml.GenerativeRecommendation().GenerativeRetrieval(options));

        RecommendationMetrics metrics = Measure(ml, pipeline, split);

        metrics.UserCount.Should().Be(240, "a block of 5 gives every user one held-out item");
        metrics.Recall(1).Should().BeGreaterThanOrEqualTo(KnownAnswerBar, $"the held-out item is the only item of the user's block outside the history ({loss}, {similarity})");
    }

    private static EstimatorChain<Microsoft.ML.Transforms.ValueToKeyMappingTransformer> KeyColumns(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(CodedInteraction.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(CodedInteraction.Item)));

    private RecommendationMetrics Measure<T>(MLContext ml, EstimatorChain<T> pipeline)
        where T : class, ITransformer
    {
        IDataView rows = ml.Data.LoadFromEnumerable(Rows);
        InteractionSplit split = ml.GenerativeRecommendation().LeaveOneOutSplit(rows, nameof(CodedInteraction.User), nameof(CodedInteraction.Item), nameof(CodedInteraction.Timestamp), withValidation: false);
        return Measure(ml, pipeline, split);
    }

    private RecommendationMetrics Measure<T>(MLContext ml, EstimatorChain<T> pipeline, InteractionSplit split)
        where T : class, ITransformer
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RecommendationMetrics metrics = SavedPipeline.FitSaveLoadEvaluate(ml, pipeline, split.Train, split.Test, 1, 10);
        output.WriteLine($"{metrics.UserCount} test users: Recall@1 {metrics.Recall(1):F4}, Recall@10 {metrics.Recall(10):F4}; {clock.Elapsed.TotalSeconds:F1} s");
        return metrics;
    }
}
