using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using Xunit;

namespace GenRec.MLNet.RealData;

/// <summary>
/// Pins the deterministic <c>baselines-beauty</c> figures of docs/benchmarks.md to 4 decimals, computed the way that
/// benchmark computes them: Beauty.inter.json in time order, <see cref="SequenceSplitter.LeaveOneOut"/> with history
/// cap 20, both baselines trained on the training sequences only, full ranking with history items not excluded.
/// A change to the loader, the split, a baseline or a metric that moves any figure fails here.
/// </summary>
public sealed class BaselineFiguresTests
{
    [Fact]
    public void BaselinesBeauty_MatchesTheDocumentedFigures()
    {
        InteractionDataset beauty = AmazonJsonLoader.Load(SharedDatasets.File("beauty", "Beauty.inter.json")).OrderByTime();
        LeaveOneOutSplit split = SequenceSplitter.LeaveOneOut(beauty, maxHistory: 20);
        int[][] train = [.. split.TrainSequences];
        EvaluationCase[] test = [.. split.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.History, [c.Target]))];
        int[] ks = [5, 10];

        MetricsTable popularity = RecommenderEvaluator.Evaluate(new PopularityRecommender(train, split.ItemCount), test, ks, excludeHistory: false);
        MetricsTable coOccurrence = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(train, split.ItemCount), test, ks, excludeHistory: false);

        // RESULT baselines-beauty pop_recall_5=0.0072 pop_recall_10=0.0114 pop_ndcg_5=0.0040 pop_ndcg_10=0.0053
        //   cooc_recall_5=0.0504 cooc_recall_10=0.0659 cooc_ndcg_5=0.0377 cooc_ndcg_10=0.0427 test_users=22363
        popularity.CaseCount.Should().Be(22_363);
        Pinned(popularity, MetricNames.Recall, 5).Should().Be(0.0072);
        Pinned(popularity, MetricNames.Recall, 10).Should().Be(0.0114);
        Pinned(popularity, MetricNames.Ndcg, 5).Should().Be(0.0040);
        Pinned(popularity, MetricNames.Ndcg, 10).Should().Be(0.0053);
        Pinned(coOccurrence, MetricNames.Recall, 5).Should().Be(0.0504);
        Pinned(coOccurrence, MetricNames.Recall, 10).Should().Be(0.0659);
        Pinned(coOccurrence, MetricNames.Ndcg, 5).Should().Be(0.0377);
        Pinned(coOccurrence, MetricNames.Ndcg, 10).Should().Be(0.0427);
    }

    private static double Pinned(MetricsTable table, string metric, int k) => Math.Round(table[metric, k], 4, MidpointRounding.AwayFromZero);
}
