using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Generative;

public sealed class GenerativeRecommenderTests : IClassFixture<TrainedModelFixture>
{
    private readonly TrainedModelFixture _fixture;
    private readonly ITestOutputHelper _output;

    public GenerativeRecommenderTests(TrainedModelFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private GenerativeRecommenderModel Model => _fixture.Model;

    [Fact]
    public void LossIsFiniteAndDecreases()
    {
        var losses = _fixture.Log.Reports.Where(r => r.ValidationMetric is null).Select(r => r.Loss).ToArray();
        losses.Should().HaveCountGreaterThan(10);
        losses.Should().OnlyContain(l => double.IsFinite(l));
        losses.TakeLast(3).Average().Should().BeLessThan(losses.Take(3).Average() * 0.8, "training must reduce the loss");
        _fixture.Result.FinalLoss.Should().BeLessThan(Math.Log(8), "below the loss of uniform guessing per level");
    }

    [Fact]
    public void BeamSearchReturnsValidSortedItemsAndRespectsK()
    {
        var requests = GenerativeTestData.Requests(40);
        foreach (int k in new[] { 1, 5, 10, 25 })
        {
            int[][] items = Model.Recommend(requests, k, excludeHistory: false, out float[][] scores);
            items.Should().HaveCount(requests.Count);
            for (int r = 0; r < requests.Count; r++)
            {
                items[r].Should().HaveCount(k, "there are 100 items, more than any k here").And.OnlyHaveUniqueItems();
                items[r].Should().OnlyContain(i => i >= 0 && i < Model.ItemCount);
                scores[r].Should().BeInDescendingOrder().And.OnlyContain(s => s <= 0 && float.IsFinite(s));
            }
        }
    }

    [Fact]
    public void GeneratedIdsAreItemsUnderTheConstraintOnly()
    {
        var requests = GenerativeTestData.Requests(40);
        GeneratedId[][] generated = Model.Generate(requests, beamSize: 20);
        generated.Should().OnlyContain(beams => beams.Length == 20);
        generated.SelectMany(b => b).Should().OnlyContain(id => id.IsValid && Model.Trie.Lookup(id.Codes).SequenceEqual(id.Items));

        // Unconstrained, any of the 8 × 8 × 8 = 512 code sequences may come out, but only 100 are items: with 150
        // beams at least 50 per user must be invented IDs, and the diagnostic must count exactly those.
        InvalidIdReport report = Model.CountInvalidIds(requests, beamSize: 150);
        GeneratedId[][] free = Model.Generate(requests, 150, constrained: false);
        int invalid = free.SelectMany(b => b).Count(id => Model.Trie.Lookup(id.Codes).Count == 0);
        report.Users.Should().Be(40);
        report.Beams.Should().Be(40 * 150);
        report.InvalidBeams.Should().Be(invalid).And.BeGreaterThanOrEqualTo(40 * 50);
        report.InvalidRate.Should().BeApproximately(invalid / (double)report.Beams, 1e-12);
        report.InvalidTopBeams.Should().Be(0, "a trained model's best guess is a real item");
    }

    [Fact]
    public void TokenBudgetedBatchesGiveTheBeamsOfOneRequestAtATime()
    {
        // 40 requests × 60 beam rows = 2,400 positions: the decoder splits them into passes of at most
        // TokensPerBatch positions. Each request's beams must not depend on which pass it landed in.
        var requests = GenerativeTestData.Requests(40);
        const int beams = 60;
        (40 * beams).Should().BeGreaterThan(GenRec.MLNet.Generative.Decoding.GenerativeDecoder.TokensPerBatch, "the test must make the decoder split the batch");
        GeneratedId[][] together = Model.Generate(requests, beams);
        for (int r = 0; r < requests.Count; r++)
        {
            GeneratedId[] alone = Model.Generate(new[] { requests[r] }, beams)[0];
            together[r].Should().HaveCount(alone.Length);
            together[r].Select(id => id.Items[0]).Should().Equal(alone.Select(id => id.Items[0]));
            together[r].Select(id => id.Score).Should().Equal(alone.Select(id => id.Score), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public void CachedDecodingMatchesRecomputingThePrefix()
    {
        var requests = GenerativeTestData.Requests(30);
        GeneratedId[][] cached = Model.Generate(requests, 10);
        Model.UseDecoderCache = false;
        try
        {
            GeneratedId[][] recomputed = Model.Generate(requests, 10);
            for (int r = 0; r < requests.Count; r++)
            {
                recomputed[r].Select(id => id.Items[0]).Should().Equal(cached[r].Select(id => id.Items[0]));
                recomputed[r].Select(id => id.Score).Should().Equal(cached[r].Select(id => id.Score), (a, b) => Math.Abs(a - b) < 1e-4);
            }
        }
        finally
        {
            Model.UseDecoderCache = true;
        }
    }

    [Fact]
    public void ExcludeHistorySkipsHistoryItems()
    {
        var requests = GenerativeTestData.Requests(40);
        int[][] items = Model.Recommend(requests, 10, excludeHistory: true);
        for (int r = 0; r < requests.Count; r++)
        {
            items[r].Should().NotIntersectWith(requests[r].History);
            items[r].Length.Should().BeLessThanOrEqualTo(10);
        }
    }

    [Fact]
    public void AHistoryThatTakesEveryBeamStillLeavesKItemsOutsideIt()
    {
        // The model's own top 25 for a prompt are put before the prompt's items in the history: the model reads only
        // the last MaxHistoryLength (10) items, so its beams do not change, but they now all lie in the history, and a
        // plain search of BeamSize (20) beams cannot find 10 items outside it. The decoder must widen the search for
        // this request rather than return fewer than 10 items.
        RecommendationRequest prompt = GenerativeTestData.Requests(40).First(r => r.History.Length >= Model.Options.MaxHistoryLength);
        int[] top = Model.Recommend(new[] { prompt }, 25, excludeHistory: false)[0];
        top.Should().HaveCount(25);
        var request = new RecommendationRequest(prompt.UserIndex, top.Concat(prompt.History).ToArray());
        int[] plain = Model.Recommend(new[] { request }, 25, excludeHistory: false)[0];
        plain.Take(Model.Options.BeamSize).Where(item => !request.History.Contains(item)).Should().HaveCountLessThan(10,
            "the case must be one where the first BeamSize beams cannot fill 10 items outside the history");

        int[][] items = Model.Recommend(new[] { request, prompt }, 10, excludeHistory: true, out float[][] scores);

        items[0].Should().HaveCount(10).And.OnlyHaveUniqueItems().And.NotIntersectWith(request.History);
        scores[0].Should().BeInDescendingOrder();
        items[1].Should().Equal(Model.Recommend(new[] { prompt }, 10, excludeHistory: true)[0], "a request its history does not starve is decoded as before");
    }

    [Fact]
    public void BeatsCoOccurrenceOnHeldOutItems()
    {
        var split = GenerativeTestData.Split;
        var trainAndValidation = split.TrainSequences.Select((s, u) => s.Concat(split.ValidationCases.Where(v => v.UserIndex == u).Select(v => v.Target)).ToArray()).ToArray();
        var popularity = new PopularityRecommender(trainAndValidation, split.ItemCount);
        double model = RecommenderEvaluator.Evaluate(Model, GenerativeTestData.TestCases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);
        double baseline = RecommenderEvaluator.Evaluate(popularity, GenerativeTestData.TestCases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);
        double coOccurrence = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(trainAndValidation, split.ItemCount), GenerativeTestData.TestCases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);
        _output.WriteLine($"Recall@10: model {model:F3}, popularity {baseline:F3}, co-occurrence {coOccurrence:F3}; training {_fixture.Result.TrainingTime.TotalSeconds:F1} s, {_fixture.Result.ExamplesPerSecond:F0} examples/s");
        // Measured 2026-11-30 (12 epochs, ideal codes): model 0.660, co-occurrence 0.533, popularity 0.170. Co-occurrence
        // is the bar: on this catalog it already triples popularity, so beating popularity proves little.
        model.Should().BeGreaterThan(coOccurrence * 1.1, $"the model must learn more than the last item's successors (co-occurrence {coOccurrence:F3})");
        _fixture.Result.BestValidationMetric.Should().NotBeNull().And.BeGreaterThan(0);
    }

    [Fact]
    public void SaveWeightsAndLoadGiveIdenticalRecommendations()
    {
        var requests = GenerativeTestData.Requests(50);
        int[][] before = Model.Recommend(requests, 10, excludeHistory: false, out float[][] beforeScores);
        byte[] weights = Model.SaveWeights();
        using GenerativeRecommenderModel loaded = GenerativeRecommenderModel.Load(weights, Model.Options, GenerativeTestData.Codes, Model.ItemCounts);
        int[][] after = loaded.Recommend(requests, 10, excludeHistory: false, out float[][] afterScores);
        after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        afterScores.Should().BeEquivalentTo(beforeScores, o => o.WithStrictOrdering());
        loaded.SaveWeights().Should().Equal(weights);
    }

    [Fact]
    public void NewItemsBecomeRecommendableWithoutRetraining()
    {
        using GenerativeRecommenderModel model = GenerativeRecommenderModel.Load(Model.SaveWeights(), Model.Options, GenerativeTestData.Codes, Model.ItemCounts);
        var requests = GenerativeTestData.Requests(30);
        int[][] before = model.Recommend(requests, 10, excludeHistory: false, out float[][] beforeScores);

        // New item 100: a new last code under the (category, subcategory) prefix of the first user's top item.
        int[] topCodes = model.Codes.GetCodes(before[0][0]);
        int unusedLast = Enumerable.Range(0, 8).First(code => !model.Trie.IsValidPrefix(new[] { topCodes[0], topCodes[1], code }));
        model.ExtendTrie(100, new[] { topCodes[0], topCodes[1], unusedLast });

        // New item 101 (through AddItems): exactly the codes of the first user's top item, i.e. a duplicate ID.
        int[][] rows = Enumerable.Range(0, model.ItemCount).Select(i => model.Codes.GetCodes(i)).Append(topCodes).ToArray();
        model.AddItems(new SemanticIdTable(rows, new[] { 8, 8, 8 }));
        model.ItemCount.Should().Be(102);
        model.Trie.Lookup(topCodes).Should().Equal(before[0][0], 101);

        // The duplicate follows its twin at once with the same score (its training count, 0, orders it second).
        int[][] after = model.Recommend(requests, 10, excludeHistory: false, out float[][] afterScores);
        after[0].Take(2).Should().Equal(before[0][0], 101);
        afterScores[0][1].Should().Be(beforeScores[0][0]);

        // With as many beams as IDs, constrained search returns every item, the new code combination included.
        int[][] everything = model.Recommend(requests, model.ItemCount, excludeHistory: false);
        everything.Should().OnlyContain(list => list.Length == model.ItemCount && list.Contains(100) && list.Contains(101));
        model.Generate(requests, 40).SelectMany(b => b).Should().OnlyContain(id => id.IsValid && id.Items.All(i => i < model.ItemCount));

        // New items may also appear in histories.
        model.Recommend(new[] { new RecommendationRequest(0, new[] { 3, 100, 101 }) }, 5, excludeHistory: true)[0]
            .Should().HaveCount(5).And.NotContain(new[] { 100, 101, 3 });
        model.Invoking(m => m.ExtendTrie(500, new[] { 0, 0, 0 })).Should().Throw<ArgumentOutOfRangeException>();
        model.Invoking(m => m.AddItems(GenerativeTestData.Codes)).Should().Throw<ArgumentException>("items cannot be removed");
    }
}
