using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Generative;

public sealed class GenerativeVariantTests(ITestOutputHelper output)
{
    private static GenerativeRecommenderModel Train(GenerativeRecommenderOptions options, out TrainingResult result, ProgressLog? log = null)
    {
        options.Progress = log;
        return GenerativeRecommenderTrainer.Train(new MLContext(seed: 1), GenerativeTestData.Codes, GenerativeTestData.Split, options, out result);
    }

    private static double Recall(IRecommender model) =>
        RecommenderEvaluator.Evaluate(model, GenerativeTestData.TestCases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);

    private static double PopularityRecall()
    {
        var split = GenerativeTestData.Split;
        var sequences = split.TrainSequences.Select((s, u) => s.Concat(split.ValidationCases.Where(v => v.UserIndex == u).Select(v => v.Target)).ToArray()).ToArray();
        return Recall(new PopularityRecommender(sequences, split.ItemCount));
    }

    [Fact]
    public void DecoderOnlyLearnsFromEveryPositionAndNearlyMatchesCoOccurrence()
    {
        var log = new ProgressLog();
        using GenerativeRecommenderModel model = Train(GenerativeTestData.Tiny(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.ItemEmbedding, epochs: 25), out TrainingResult result, log);

        log.Reports.Select(r => r.Loss).Should().OnlyContain(l => double.IsFinite(l));
        log.Reports.First().Loss.Should().BeGreaterThan(result.FinalLoss);
        double popularity = PopularityRecall();
        var split = GenerativeTestData.Split;
        var sequences = split.TrainSequences.Select((s, u) => s.Concat(split.ValidationCases.Where(v => v.UserIndex == u).Select(v => v.Target)).ToArray()).ToArray();
        double coOccurrence = Recall(new CoOccurrenceRecommender(sequences, split.ItemCount));
        output.WriteLine($"Recall@10: model {Recall(model):F3}, popularity {popularity:F3}, co-occurrence {coOccurrence:F3}; training {result.TrainingTime.TotalSeconds:F1} s, {result.ExamplesPerSecond:F0} examples/s");
        // Measured 2026-11-30 (25 epochs): model 0.503, co-occurrence 0.533, popularity 0.170. The decoder-only layout over
        // item embeddings does not pass co-occurrence on this catalog in this budget (the encoder-decoder does, see
        // GenerativeRecommenderTests; on an order-dependent task both do, see Learning/OrderMattersTests), so the bar is
        // most of co-occurrence, which is already 3× popularity.
        Recall(model).Should().BeGreaterThan(coOccurrence * 0.85, $"co-occurrence scores {coOccurrence:F3}, popularity {popularity:F3}");
        model.Generate(GenerativeTestData.Requests(20), 20).SelectMany(b => b).Should().OnlyContain(id => id.IsValid);
    }

    [Fact]
    public void ItemEmbeddingInputTrainsAndInfers()
    {
        using GenerativeRecommenderModel model = Train(GenerativeTestData.Tiny(GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.ItemEmbedding, epochs: 3), out TrainingResult result);
        double.IsFinite(result.FinalLoss).Should().BeTrue();
        int[][] items = model.Recommend(GenerativeTestData.Requests(30), 10, excludeHistory: true, out float[][] scores);
        items.Should().OnlyContain(list => list.Length == 10 && list.All(i => i >= 0 && i < 100));
        scores.Should().OnlyContain(s => s.SequenceEqual(s.OrderByDescending(x => x)));
    }

    [Fact]
    public void DecoderOnlyOverCodeTokensWithUserTokensTrainsAndRoundTrips()
    {
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny(GenerativeArchitecture.DecoderOnly, GenerativeInputMode.CodeTokens, epochs: 2);
        options.UseUserToken = true;
        options.UserHashBuckets = 50;
        using GenerativeRecommenderModel model = Train(options, out TrainingResult result);
        double.IsFinite(result.FinalLoss).Should().BeTrue();

        // Unknown users (negative index) and empty histories are served too.
        var requests = GenerativeTestData.Requests(20).Append(new RecommendationRequest(-1, Array.Empty<int>())).ToArray();
        int[][] before = model.Recommend(requests, 10, excludeHistory: false);
        before.Should().OnlyContain(list => list.Length == 10);
        using GenerativeRecommenderModel loaded = GenerativeRecommenderModel.Load(model.SaveWeights(), model.Options, GenerativeTestData.Codes, model.ItemCounts);
        loaded.Recommend(requests, 10, excludeHistory: false).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void SameSeedGivesSameRecommendations()
    {
        var requests = GenerativeTestData.Requests(30);
        (int[][] Items, byte[] Weights) Run(int seed)
        {
            GenerativeRecommenderOptions options = GenerativeTestData.Tiny(GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.ItemEmbedding, epochs: 2);
            options.Seed = seed;
            using GenerativeRecommenderModel model = Train(options, out _);
            return (model.Recommend(requests, 10, excludeHistory: false), model.SaveWeights());
        }

        var first = Run(11);
        var again = Run(11);
        again.Items.Should().BeEquivalentTo(first.Items, o => o.WithStrictOrdering());
        again.Weights.Should().Equal(first.Weights);
        Run(12).Weights.Should().NotEqual(first.Weights, "a different seed is a different run");
    }

    [Fact]
    public void TrainingNeedsMatchingCodes()
    {
        var options = GenerativeTestData.Tiny(epochs: 1);
        var tooFew = new GenRec.MLNet.Tokenization.SemanticIdTable(new[] { new[] { 0, 0, 0 } }, new[] { 8, 8, 8 });
        FluentActions.Invoking(() => GenerativeRecommenderTrainer.Train(new MLContext(1), tooFew, GenerativeTestData.Split, options, out _))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*semantic ID table has 1 items*");
    }
}
