using FluentAssertions;
using GenRec.MLNet.Tokenization;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Statistics;

public sealed class CodeStatisticsTests
{
    private const double Tolerance = 1e-12;

    /// <summary>{0,0},{0,0},{1,2},{1,3} with codebooks of 4: worked out by hand in the assertions below.</summary>
    private static readonly SemanticIdTable Small = new([[0, 0], [0, 0], [1, 2], [1, 3]], [4, 4]);

    [Fact]
    public void Compute_CollisionFigures_MatchHandCount()
    {
        var stats = CodeStatistics.Compute(Small);

        stats.ItemCount.Should().Be(4);
        stats.Levels.Should().Be(2);
        stats.DistinctIds.Should().Be(3);               // {0,0}, {1,2}, {1,3}
        stats.UniqueRate.Should().Be(0.75);
        stats.CollidingItems.Should().Be(2);            // the two {0,0}
        stats.CollisionRate.Should().Be(0.5);
        stats.CollidingGroups.Should().Be(1);
        stats.LargestBucket.Should().Be(2);
        stats.DuplicateItems.Should().Be(1);            // LETTER's count: only the second {0,0}
        stats.DuplicateRate.Should().Be(0.25);
    }

    [Fact]
    public void Compute_LevelFigures_MatchHandCount()
    {
        var stats = CodeStatistics.Compute(Small);
        var l1 = stats.PerLevel[0];
        var l2 = stats.PerLevel[1];

        // Level 1: codes 0,0,1,1 -> 2 of 4 used, p = (1/2, 1/2): 1 bit, perplexity 2.
        l1.UsedCodes.Should().Be(2);
        l1.Utilization.Should().Be(0.5);
        l1.LargestCodeCount.Should().Be(2);
        l1.EntropyBits.Should().BeApproximately(1, Tolerance);
        l1.EntropyNats.Should().BeApproximately(Math.Log(2), Tolerance);
        l1.Perplexity.Should().BeApproximately(2, Tolerance);
        l1.DistinctPrefixes.Should().Be(2);
        l1.ConditionalEntropyBits.Should().BeApproximately(1, Tolerance); // nothing above level 1

        // Level 2: codes 0,0,2,3 -> 3 used, p = (1/2, 1/4, 1/4): 1.5 bits, perplexity 2^1.5.
        l2.UsedCodes.Should().Be(3);
        l2.Utilization.Should().Be(0.75);
        l2.EntropyBits.Should().BeApproximately(1.5, Tolerance);
        l2.Perplexity.Should().BeApproximately(Math.Pow(2, 1.5), 1e-9);
        l2.DistinctPrefixes.Should().Be(3);
        // H(full ID) - H(level 1) = 1.5 - 1: once code 0 is known, level 2 says nothing; under code 1 it splits 2 ways.
        l2.ConditionalEntropyBits.Should().BeApproximately(0.5, Tolerance);
    }

    [Fact]
    public void Compute_AllDistinct_HasNoCollisions()
    {
        var table = new SemanticIdTable([[0, 1], [1, 0], [0, 0], [1, 1]], [2, 2]);

        var stats = CodeStatistics.Compute(table);

        stats.UniqueRate.Should().Be(1);
        stats.CollisionRate.Should().Be(0);
        stats.CollidingGroups.Should().Be(0);
        stats.LargestBucket.Should().Be(1);
        stats.PerLevel[1].ConditionalEntropyBits.Should().BeApproximately(1, Tolerance);
        stats.PerLevel.Should().OnlyContain(l => l.Utilization == 1 && Math.Abs(l.Perplexity - 2) < 1e-9);
    }

    [Fact]
    public void Compute_CountsSeveralGroupsAndTheLargestBucket()
    {
        // IDs: {2,2} x3, {0,1} x2, {1,1} x1 -> 3 distinct of 6, 5 colliding items in 2 groups, largest 3.
        var table = new SemanticIdTable([[2, 2], [0, 1], [2, 2], [1, 1], [0, 1], [2, 2]], [3, 3]);

        var stats = CodeStatistics.Compute(table);

        stats.DistinctIds.Should().Be(3);
        stats.CollidingItems.Should().Be(5);
        stats.CollidingGroups.Should().Be(2);
        stats.LargestBucket.Should().Be(3);
        stats.DuplicateItems.Should().Be(3);
        stats.PerLevel[0].LargestCodeCount.Should().Be(3);
        stats.PerLevel[1].UsedCodes.Should().Be(2);
        stats.PerLevel[1].Utilization.Should().BeApproximately(2.0 / 3, Tolerance);
    }

    [Fact]
    public void Compute_EmptyTable_Throws()
    {
        var empty = new SemanticIdTable([], [4]);
        FluentActions.Invoking(() => CodeStatistics.Compute(empty)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ToKeyValues_UsesStableKeysAndInvariantNumbers()
    {
        var pairs = CodeStatistics.Compute(Small).ToKeyValues().ToDictionary(p => p.Key, p => p.Value);

        pairs.Should().Contain(new Dictionary<string, string>
        {
            ["items"] = "4",
            ["levels"] = "2",
            ["unique_ids"] = "3",
            ["unique_rate"] = "0.750000",
            ["collision_rate"] = "0.500000",
            ["colliding_items"] = "2",
            ["duplicate_items"] = "1",
            ["duplicate_rate"] = "0.250000",
            ["colliding_groups"] = "1",
            ["largest_bucket"] = "2",
            ["l1_codebook"] = "4",
            ["l1_used"] = "2",
            ["l1_utilization"] = "0.500000",
            ["l1_entropy_bits"] = "1.0000",
            ["l1_entropy_nats"] = "0.6931",
            ["l1_perplexity"] = "2.0000",
            ["l1_prefixes"] = "2",
            ["l2_entropy_bits"] = "1.5000",
            ["l2_perplexity"] = "2.8284",
            ["l2_cond_entropy_bits"] = "0.5000",
        });
        pairs.Keys.Should().OnlyContain(k => k.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'));
        pairs.Values.Should().OnlyContain(v => !v.Any(char.IsWhiteSpace));
    }

    [Fact]
    public void ToKeyValues_Prefix_IsJoinedWithOneUnderscore()
    {
        var stats = CodeStatistics.Compute(Small);

        stats.ToKeyValues("letter").First().Should().Be(("letter_items", "4"));
        stats.ToKeyValues("letter_").Select(p => p.Key).Should().Contain("letter_l2_used");
    }

    [Fact]
    public void ToString_ShowsCollisionLineAndOneRowPerLevel()
    {
        string text = CodeStatistics.Compute(Small).ToString();
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().Contain("4 items, 2 levels");
        text.Should().Contain("distinct IDs     3").And.Contain("largest bucket 2").And.Contain("in 1 groups").And.Contain("duplicate items  1");
        lines.Should().HaveCount(5 + 2);
        lines[^2].TrimStart().Should().StartWith("1 ");
        lines[^1].TrimStart().Should().StartWith("2 ");
    }

    [Fact]
    public void Comparison_ReportsBothSidesAndChangedItems()
    {
        // Collision resolution moved item 1's last code: {0,0} -> {0,1}.
        var after = new SemanticIdTable([[0, 0], [0, 1], [1, 2], [1, 3]], [4, 4]);

        var comparison = CodeStatisticsComparison.Compute(Small, after);

        comparison.Before.CollisionRate.Should().Be(0.5);
        comparison.After.CollisionRate.Should().Be(0);
        comparison.ChangedItems.Should().Be(1);
        var pairs = comparison.ToKeyValues("rq").ToDictionary(p => p.Key, p => p.Value);
        pairs["rq_before_unique_rate"].Should().Be("0.750000");
        pairs["rq_after_unique_rate"].Should().Be("1.000000");
        pairs["rq_changed_items"].Should().Be("1");
        comparison.ToString().Should().Contain("Before collision resolution").And.Contain("Items whose codes changed: 1 of 4");
    }

    [Fact]
    public void Comparison_AppendedLevel_ChangesNoItem_AndItemCountMustMatch()
    {
        // TIGER-style disambiguation: a third level 0,1 separates the two {0,0} items and keeps the first two levels.
        var after = new SemanticIdTable([[0, 0, 0], [0, 0, 1], [1, 2, 0], [1, 3, 0]], [4, 4, 2]);

        var comparison = CodeStatisticsComparison.Compute(Small, after);

        comparison.ChangedItems.Should().Be(0);
        comparison.After.UniqueRate.Should().Be(1);
        FluentActions.Invoking(() => CodeStatisticsComparison.Compute(Small, new SemanticIdTable([[0, 0]], [4, 4])))
            .Should().Throw<ArgumentException>();
    }
}
