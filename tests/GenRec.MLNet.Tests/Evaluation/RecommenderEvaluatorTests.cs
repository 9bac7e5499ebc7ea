using FluentAssertions;
using GenRec.MLNet.Evaluation;
using Xunit;

namespace GenRec.MLNet.Tests.Evaluation;

public class RecommenderEvaluatorTests
{
    private const double Tolerance = 1e-12;

    // Every user gets the list 0, 1, 2, ... (k items); user u's target is item u, so user u hits at rank u + 1.
    private static FakeRecommender Identity(int itemCount = 50) =>
        new(itemCount, (request, k) => [.. Enumerable.Range(0, Math.Min(k, itemCount))]);

    private static List<EvaluationCase> TargetsAtRanks(params int[] ranks) =>
        [.. ranks.Select((rank, u) => new EvaluationCase(u, [], [rank - 1]))];

    [Fact]
    public void AveragesEachMetricOverCases()
    {
        // Ranks 1, 3 and 8: at K = 5 two hits, at K = 10 three.
        var table = RecommenderEvaluator.Evaluate(Identity(), TargetsAtRanks(1, 3, 8), [5, 10], excludeHistory: false);

        table.CaseCount.Should().Be(3);
        table["Recall", 5].Should().BeApproximately(2.0 / 3, Tolerance);
        table["Recall", 10].Should().BeApproximately(1.0, Tolerance);
        table[MetricNames.HitRate, 5].Should().BeApproximately(2.0 / 3, Tolerance);
        table.Get("NDCG", 5).Should().BeApproximately((1 + 0.5) / 3, Tolerance);
        table.Get("NDCG", 10).Should().BeApproximately((1 + 0.5 + (1 / Math.Log2(9))) / 3, Tolerance);
        table.Get("mrr", 5).Should().BeApproximately((1 + (1.0 / 3)) / 3, Tolerance);
        table.Get("MRR", 10).Should().BeApproximately((1 + (1.0 / 3) + (1.0 / 8)) / 3, Tolerance);
    }

    [Fact]
    public void AsksForTheLargestKOnce_AndSortsAndDeduplicatesKs()
    {
        var recommender = Identity();

        var table = RecommenderEvaluator.Evaluate(recommender, TargetsAtRanks(1, 2), [20, 5, 10, 5], excludeHistory: false);

        table.Ks.Should().Equal(5, 10, 20);
        recommender.Calls.Should().ContainSingle().Which.Should().Be((20, false));
    }

    [Fact]
    public void BatchesRequestsAndReportsProgress()
    {
        var recommender = Identity(1000);
        var cases = TargetsAtRanks([.. Enumerable.Range(1, 25)]);
        var progress = new RecordingProgress();

        RecommenderEvaluator.Evaluate(recommender, cases, [10], excludeHistory: false, batchSize: 10, progress: progress);

        recommender.BatchSizes.Should().Equal(10, 10, 5);
        progress.Values.Should().Equal(10, 20, 25);
    }

    [Fact]
    public void HonoursCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(), TargetsAtRanks(1), [5], false, cancellationToken: cancellation.Token))
            .Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void ExcludeHistory_IsPassedThrough()
    {
        var recommender = new FakeRecommender(10, (request, k) => [.. Enumerable.Range(0, 10).Except(request.History).Take(k)]);
        var cases = new List<EvaluationCase> { new(0, [0, 1], [2]) };

        var table = RecommenderEvaluator.Evaluate(recommender, cases, [1], excludeHistory: true);

        recommender.Calls.Should().ContainSingle().Which.ExcludeHistory.Should().BeTrue();
        table["HR", 1].Should().Be(1.0);
    }

    [Fact]
    public void HistoryItemReturnedWhenExcluded_ThrowsNamingTheRecommender()
    {
        var cases = new List<EvaluationCase> { new(0, [0, 1], [2]) };

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(10), cases, [5], excludeHistory: true))
            .Should().Throw<InvalidOperationException>().WithMessage("*FakeRecommender*history*");

        // The same answers are legal when history is allowed.
        RecommenderEvaluator.Evaluate(Identity(10), cases, [5], excludeHistory: false)["Recall", 5].Should().Be(1.0);
    }

    [Fact]
    public void DuplicateItems_Throw()
    {
        var recommender = new FakeRecommender(10, (_, _) => [3, 4, 3]);

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(recommender, TargetsAtRanks(1), [5], false))
            .Should().Throw<InvalidOperationException>().WithMessage("*FakeRecommender*item 3 more than once*");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void OutOfRangeItems_Throw(int badItem)
    {
        var recommender = new FakeRecommender(10, (_, _) => [1, badItem]);

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(recommender, TargetsAtRanks(1), [5], false))
            .Should().Throw<InvalidOperationException>().WithMessage($"*FakeRecommender*{badItem}*outside 0..9*");
    }

    [Fact]
    public void TooManyItems_Throw()
    {
        var recommender = new FakeRecommender(10, (_, _) => [.. Enumerable.Range(0, 6)]);

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(recommender, TargetsAtRanks(1), [5], false))
            .Should().Throw<InvalidOperationException>().WithMessage("*6 items*at most 5*");
    }

    [Fact]
    public void WrongNumberOfLists_Throws()
    {
        var recommender = new BrokenBatchRecommender();

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(recommender, TargetsAtRanks(1, 2), [5], false))
            .Should().Throw<InvalidOperationException>().WithMessage("*BrokenBatchRecommender*1 lists for 2 requests*");
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var cases = TargetsAtRanks(1);

        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(), cases, [0], false)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(), cases, [], false)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(), cases, [5], false, batchSize: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(), [], [5], false)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(), [new EvaluationCase(0, [], [])], [5], false))
            .Should().Throw<ArgumentException>().WithMessage("*no targets*");
        FluentActions.Invoking(() => RecommenderEvaluator.Evaluate(Identity(50), [new EvaluationCase(0, [], [50])], [5], false))
            .Should().Throw<ArgumentException>().WithMessage("*target 50*");
    }

    [Fact]
    public void MetricsTable_ListsAllCellsAndPrintsAlignedTable()
    {
        var table = RecommenderEvaluator.Evaluate(Identity(), TargetsAtRanks(1, 3), [5, 10], excludeHistory: false);

        var cells = table.All();
        cells.Should().HaveCount(MetricNames.All.Count * 2);
        cells.Should().Contain(new MetricValue("NDCG", 5, 0.75));
        cells.Select(c => c.Metric).Distinct().Should().Equal(MetricNames.All);

        string[] lines = table.ToString().Split(Environment.NewLine);
        lines[0].Should().MatchRegex(@"^Metric\s+@5\s+@10$");
        lines.Should().Contain(line => line.StartsWith("NDCG") && line.Contains("0.7500"));
        lines[1..5].Select(line => line.Length).Distinct().Should().ContainSingle("rows are aligned");
        lines[^1].Should().Contain("2 cases");

        FluentActions.Invoking(() => table.Get("Recall", 20)).Should().Throw<KeyNotFoundException>().WithMessage("*K=20*");
        FluentActions.Invoking(() => table.Get("Precision", 5)).Should().Throw<KeyNotFoundException>().WithMessage("*Precision*");
    }

    private sealed class RecordingProgress : IProgress<int>
    {
        public List<int> Values { get; } = [];

        public void Report(int value) => Values.Add(value);
    }

    private sealed class BrokenBatchRecommender : IRecommender
    {
        public int ItemCount => 10;

        public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) => [[0]];
    }
}
