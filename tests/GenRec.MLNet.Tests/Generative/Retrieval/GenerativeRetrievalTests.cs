using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Training;
using Xunit;
using Xunit.Abstractions;
using Sample = GenRec.MLNet.Tests.Generative.Retrieval.RetrievalTestData;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

[Collection(RetrievalSampleCollection.Name)]
public sealed class GenerativeRetrievalTests : IClassFixture<TrainedRetrievalFixture>
{
    private readonly RetrievalSample _sample;
    private readonly TrainedRetrievalFixture _trained;
    private readonly ITestOutputHelper _output;

    public GenerativeRetrievalTests(RetrievalSample sample, TrainedRetrievalFixture trained, ITestOutputHelper output)
    {
        _sample = sample;
        _trained = trained;
        _output = output;
    }

    [Fact]
    public void TrainingLossIsFiniteAndFalls()
    {
        double[] losses = _trained.Losses.Where(p => p.ValidationMetric is null).Select(p => p.Loss).ToArray();

        losses.Should().HaveCountGreaterThan(8).And.OnlyContain(loss => double.IsFinite(loss) && loss >= 0);
        losses.TakeLast(4).Average().Should().BeLessThan(0.8 * losses.Take(4).Average(), "the pairwise cosine loss must fall");
        _trained.Result.EpochsCompleted.Should().Be(_trained.Options.NumberOfEpochs);
        _trained.Result.FinalLoss.Should().BeLessThan(1.0, "below 1, positives are on average closer than orthogonal");
    }

    [Fact]
    public void TrainedModelBeatsPopularityOnHeldOutItems()
    {
        var popularity = new PopularityRecommender(Sample.TrainSets.ToArray(), Sample.ItemCount);

        double model = RecommenderEvaluator.Evaluate(_trained.Model, Sample.TestCases, new[] { 10 }, excludeHistory: true).Get(MetricNames.HitRate, 10);
        double baseline = RecommenderEvaluator.Evaluate(popularity, Sample.TestCases, new[] { 10 }, excludeHistory: true).Get(MetricNames.HitRate, 10);

        _output.WriteLine($"HR@10: retrieval {model:F4}, popularity {baseline:F4}; final loss {_trained.Result.FinalLoss:F4}, {_trained.Result.TrainingTime.TotalSeconds:F1} s");
        model.Should().BeGreaterThan(baseline * 1.2, "retrieval into the MF space must capture more than item popularity");
    }

    [Fact]
    public void RecommendationsExcludeHistoryAndFollowCosineSimilarity()
    {
        IReadOnlyList<RecommendationRequest> requests = Sample.Requests(20);
        const int k = 15;

        int[][] top = _trained.Model.Recommend(requests, k, excludeHistory: true, out float[][] scores);
        float[] users = _trained.Model.EncodeUsers(requests);

        int d = Sample.CfDimension;
        for (int r = 0; r < requests.Count; r++)
        {
            top[r].Should().HaveCount(k).And.OnlyHaveUniqueItems().And.NotIntersectWith(requests[r].History);
            scores[r].Should().BeInDescendingOrder();
            double[] cosine = Enumerable.Range(0, Sample.ItemCount)
                .Select(item => Cosine(users.AsSpan(r * d, d), _sample.ItemEmbeddings.AsSpan(item * d, d)))
                .ToArray();
            for (int j = 0; j < k; j++)
            {
                scores[r][j].Should().BeApproximately((float)cosine[top[r][j]], 1e-4f, "scores are cosine similarities to the CF item embeddings");
            }

            // Exact top-k: no other non-history item is more similar than the last one returned.
            double best = Enumerable.Range(0, Sample.ItemCount).Except(top[r]).Except(requests[r].History).Max(item => cosine[item]);
            best.Should().BeLessThanOrEqualTo(scores[r][k - 1] + 1e-4);
        }

        int[][] withHistory = _trained.Model.Recommend(requests, Sample.ItemCount, excludeHistory: false);
        withHistory.Should().OnlyContain(row => row.Length == Sample.ItemCount, "without exclusion every item is ranked");
    }

    [Fact]
    public void SavedWeightsLoadToIdenticalRecommendations()
    {
        byte[] weights = _trained.Model.SaveWeights();
        IReadOnlyList<RecommendationRequest> requests = Sample.Requests(50);

        using GenerativeRetrievalModel loaded = GenerativeRetrievalModel.Load(weights, _trained.Model.Options, _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension);

        loaded.Recommend(requests, 10, true, out float[][] after).Should().BeEquivalentTo(_trained.Model.Recommend(requests, 10, true, out float[][] before), o => o.WithStrictOrdering());
        after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        loaded.EncodeUsers(requests).Should().Equal(_trained.Model.EncodeUsers(requests));

        FluentActions.Invoking(() => GenerativeRetrievalModel.Load(weights, _trained.Model.Options, _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings.Take(Sample.ItemCount * 8).ToArray(), 8))
            .Should().Throw<ArgumentException>().WithParameterName("weights");
        var wider = _trained.Model.Options;
        wider.ModelDimension = 64;
        FluentActions.Invoking(() => GenerativeRetrievalModel.Load(weights, wider, _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension))
            .Should().Throw<ArgumentException>().WithParameterName("weights");
    }

    [Fact]
    public void SameSeedGivesTheSameModel()
    {
        IReadOnlyList<RecommendationRequest> requests = Sample.Requests(30);
        using GenerativeRetrievalModel first = _sample.Train(Sample.Tiny(epochs: 2), out TrainingResult firstResult);
        using GenerativeRetrievalModel second = _sample.Train(Sample.Tiny(epochs: 2), out TrainingResult secondResult);
        GenerativeRetrievalOptions otherSeed = Sample.Tiny(epochs: 2);
        otherSeed.Seed = 12;
        using GenerativeRetrievalModel third = _sample.Train(otherSeed, out _);

        second.SaveWeights().Should().Equal(first.SaveWeights());
        third.SaveWeights().Should().NotEqual(first.SaveWeights(), "a different seed is a different run");
        second.Recommend(requests, 10, true).Should().BeEquivalentTo(first.Recommend(requests, 10, true), o => o.WithStrictOrdering());
        secondResult.FinalLoss.Should().Be(firstResult.FinalLoss);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void EitherPromptPartAloneTrainsAndRecommends(bool userTokens, bool historyTokens)
    {
        var options = Sample.Tiny(epochs: 1);
        options.UseUserTokens = userTokens;
        options.UseHistoryTokens = historyTokens;
        var validation = Sample.TestCases.Take(40).ToArray();

        using GenerativeRetrievalModel model = _sample.Train(options, out TrainingResult result, validation);

        result.BestValidationMetric.Should().NotBeNull();
        double.IsFinite(result.FinalLoss).Should().BeTrue();
        model.Recommend(Sample.Requests(5), 10, true).Should().HaveCount(5).And.OnlyContain(row => row.Length == 10); // an empty answer must not pass
        if (!userTokens)
        {
            // Without user tokens the user index is ignored, so any index is accepted.
            model.Recommend(new[] { new RecommendationRequest(100_000, new[] { 1, 2 }) }, 5, true).Single().Should().HaveCount(5);
        }
    }

    [Fact]
    public void RequestsOutsideTheCodeTablesAreRejected()
    {
        _trained.Model.Invoking(m => m.Recommend(new[] { new RecommendationRequest(Sample.UserCount, Array.Empty<int>()) }, 5, true))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*user {Sample.UserCount}*");
        _trained.Model.Invoking(m => m.Recommend(new[] { new RecommendationRequest(0, new[] { Sample.ItemCount }) }, 5, true))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*history item {Sample.ItemCount}*");
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Max(1e-12, Math.Sqrt(na) * Math.Sqrt(nb));
    }
}
