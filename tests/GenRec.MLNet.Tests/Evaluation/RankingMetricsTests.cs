using FluentAssertions;
using GenRec.MLNet.Evaluation;
using Xunit;

namespace GenRec.MLNet.Tests.Evaluation;

public class RankingMetricsTests
{
    private const double Tolerance = 1e-12;
    private static readonly int[] Ranked = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

    [Fact]
    public void SingleTargetAtRankThree_GivesTextbookValues()
    {
        int[] target = [12];

        RankingMetrics.Recall(Ranked, target, 5).Should().Be(1.0);
        RankingMetrics.HitRate(Ranked, target, 5).Should().Be(1.0);
        RankingMetrics.Ndcg(Ranked, target, 5).Should().BeApproximately(0.5, Tolerance); // 1/log2(4)
        RankingMetrics.Mrr(Ranked, target, 5).Should().BeApproximately(1.0 / 3, Tolerance);
    }

    [Fact]
    public void TargetAtRankOne_IsPerfect()
    {
        int[] target = [10];

        RankingMetrics.Ndcg(Ranked, target, 1).Should().Be(1.0);
        RankingMetrics.Mrr(Ranked, target, 1).Should().Be(1.0);
        RankingMetrics.Recall(Ranked, target, 1).Should().Be(1.0);
    }

    [Fact]
    public void TargetBeyondK_IsAMiss()
    {
        int[] target = [17]; // rank 8

        RankingMetrics.Recall(Ranked, target, 5).Should().Be(0);
        RankingMetrics.HitRate(Ranked, target, 5).Should().Be(0);
        RankingMetrics.Ndcg(Ranked, target, 5).Should().Be(0);
        RankingMetrics.Mrr(Ranked, target, 5).Should().Be(0);
        RankingMetrics.Mrr(Ranked, target, 10).Should().BeApproximately(1.0 / 8, Tolerance);
    }

    [Fact]
    public void TargetNotRankedAtAll_IsAMiss()
    {
        int[] target = [99];

        RankingMetrics.Recall(Ranked, target, 10).Should().Be(0);
        RankingMetrics.Ndcg(Ranked, target, 10).Should().Be(0);
        RankingMetrics.Mrr(Ranked, target, 10).Should().Be(0);
        RankingMetrics.HitRate(Ranked, target, 10).Should().Be(0);
    }

    [Fact]
    public void TwoTargets_OneHitAtRankTwo()
    {
        int[] targets = [11, 99];

        RankingMetrics.Recall(Ranked, targets, 5).Should().Be(0.5);
        RankingMetrics.HitRate(Ranked, targets, 5).Should().Be(1.0);
        RankingMetrics.Mrr(Ranked, targets, 5).Should().Be(0.5);

        // DCG = 1/log2(3); IDCG = 1 + 1/log2(3) (two targets fit in K = 5).
        double expected = (1 / Math.Log2(3)) / (1 + (1 / Math.Log2(3)));
        RankingMetrics.Ndcg(Ranked, targets, 5).Should().BeApproximately(expected, Tolerance);
    }

    [Fact]
    public void TwoTargets_BothHitAtRanksOneAndThree()
    {
        int[] targets = [12, 10];

        RankingMetrics.Recall(Ranked, targets, 5).Should().Be(1.0);
        RankingMetrics.Mrr(Ranked, targets, 5).Should().Be(1.0);
        double expected = (1 + 0.5) / (1 + (1 / Math.Log2(3)));
        RankingMetrics.Ndcg(Ranked, targets, 5).Should().BeApproximately(expected, Tolerance);
    }

    [Fact]
    public void IdealDcg_UsesAtMostKTargets()
    {
        // Three targets but K = 1: the best possible list has one hit, so a hit at rank 1 is a perfect NDCG@1.
        int[] targets = [10, 11, 12];

        RankingMetrics.Ndcg(Ranked, targets, 1).Should().Be(1.0);
        RankingMetrics.Recall(Ranked, targets, 1).Should().BeApproximately(1.0 / 3, Tolerance);
    }

    [Fact]
    public void DuplicateTargets_CountOnce()
    {
        RankingMetrics.Recall(Ranked, [12, 12], 5).Should().Be(1.0);
        RankingMetrics.Ndcg(Ranked, [12, 12], 5).Should().BeApproximately(0.5, Tolerance);
    }

    [Fact]
    public void RepeatedRankedItem_IsCreditedOnce()
    {
        int[] faulty = [5, 5, 6];

        RankingMetrics.Recall(faulty, [5], 3).Should().Be(1.0);
        RankingMetrics.Ndcg(faulty, [5], 3).Should().Be(1.0);
    }

    [Fact]
    public void ShortList_IsFine()
    {
        RankingMetrics.Recall([3], [3], 20).Should().Be(1.0);
        RankingMetrics.Recall([], [3], 20).Should().Be(0);
    }

    [Fact]
    public void Compute_DispatchesByNameCaseInsensitively()
    {
        RankingMetrics.Compute("ndcg", Ranked, [12], 5).Should().BeApproximately(0.5, Tolerance);
        RankingMetrics.Compute(MetricNames.HitRate, Ranked, [12], 2).Should().Be(0);
        FluentActions.Invoking(() => RankingMetrics.Compute("MAP", Ranked, [12], 5)).Should().Throw<ArgumentException>().WithMessage("*MAP*");
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        FluentActions.Invoking(() => RankingMetrics.Recall(Ranked, [1], 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RankingMetrics.Ndcg(Ranked, [], 5)).Should().Throw<ArgumentException>().WithMessage("*target*");
    }
}
