using FluentAssertions;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.RqVae;

public sealed class RqVaeCollisionTests
{
    private static readonly RqVaeOptions SinkhornOptions = new() { SinkhornRounds = 20, SinkhornEpsilon = 0.003, SinkhornIterations = 50 };

    [Fact]
    public void ExtraLevelNumbersTheItemsThatShareAnId()
    {
        int[] codes = { 0, 0, 0, 0, 1, 2, 0, 0 };

        CollisionResolver.Result result = CollisionResolver.Resolve(codes, 2, 4, CollisionHandling.ExtraLevel, _ => throw new InvalidOperationException("not needed"), SinkhornOptions);

        result.Codes.Should().Equal(0, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0, 2);
        result.CodebookSizes.Should().Equal(4, 4, 3);
        result.Report.CollisionRateBefore.Should().BeApproximately(0.5, 1e-12);
        result.Report.CollisionRateAfter.Should().Be(0);
        result.Report.LargestCollisionGroup.Should().Be(3);
    }

    [Fact]
    public void SinkhornMovesCollidingItemsToFreeNearbyCodesUnderTheirPrefix()
    {
        // Items 0-2 share (0, 0); item 3 holds (0, 1); item 4 is under another prefix. Preferred last codes: 0, 0, 2.
        int[] codes = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 0 };
        int[] preferred = { 0, 0, 2, 1, 0 };
        float[] Distances(int[] items) => items.SelectMany(i => Enumerable.Range(0, 6).Select(c => (float)((c - preferred[i]) * (c - preferred[i]) + 0.01 * i))).ToArray();

        CollisionResolver.Result result = CollisionResolver.Resolve(codes, 2, 6, CollisionHandling.SinkhornReassign, Distances, SinkhornOptions);

        result.CodebookSizes.Should().Equal(6, 6);
        result.Report.ExtraLevelAppended.Should().BeFalse();
        int[] lastCodes = { result.Codes[1], result.Codes[3], result.Codes[5] };
        lastCodes.Should().OnlyHaveUniqueItems().And.NotContain(1, "code 1 belongs to item 3 under the same prefix");
        lastCodes.Should().Contain(0);
        result.Codes[5].Should().Be(2, "item 2 prefers code 2, which is free");
        new[] { result.Codes[0], result.Codes[2], result.Codes[4] }.Should().OnlyContain(c => c == 0, "prefixes never change");
        result.Codes.Skip(6).Should().Equal(0, 1, 1, 0);
        result.Report.CollisionRateAfter.Should().Be(0);
        result.Report.ItemsReassigned.Should().Be(2);
    }

    [Fact]
    public void ASpentBudgetSkipsTheSinkhornRoundsAndTheFallbackStillMakesIdsUnique()
    {
        // The same collisions as above: with the training budget spent, no Sinkhorn round starts and the greedy
        // fallback places the colliding items; with time left (the control), Sinkhorn does it in its rounds.
        int[] codes = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 0 };
        int[] preferred = { 0, 0, 2, 1, 0 };
        float[] Distances(int[] items) => items.SelectMany(i => Enumerable.Range(0, 6).Select(c => (float)((c - preferred[i]) * (c - preferred[i]) + 0.01 * i))).ToArray();

        CollisionResolver.Result outOfTime = CollisionResolver.Resolve(codes, 2, 6, CollisionHandling.SinkhornReassign, Distances, SinkhornOptions, () => true);
        CollisionResolver.Result inTime = CollisionResolver.Resolve(codes, 2, 6, CollisionHandling.SinkhornReassign, Distances, SinkhornOptions, () => false);

        outOfTime.Report.SinkhornRoundsUsed.Should().Be(0);
        outOfTime.Report.CollisionRateAfterSinkhorn.Should().Be(outOfTime.Report.CollisionRateBefore, "no round ran");
        outOfTime.Report.ItemsPlacedByFallback.Should().Be(2, "two of the three items sharing (0, 0) must move");
        outOfTime.Report.CollisionRateAfter.Should().Be(0);
        Enumerable.Range(0, 5).Select(i => $"{outOfTime.Codes[i * 2]},{outOfTime.Codes[i * 2 + 1]}").Should().OnlyHaveUniqueItems();
        inTime.Report.SinkhornRoundsUsed.Should().BeGreaterThan(0);
        inTime.Report.CollisionRateAfterSinkhorn.Should().BeLessThan(inTime.Report.CollisionRateBefore, "the rounds separated some items");
        inTime.Report.ItemsPlacedByFallback.Should().BeLessThan(2);
    }

    [Fact]
    public void IdenticalItemsAreSeparatedByTheFallbackAndAFullPrefixByAnExtraLevel()
    {
        // Five identical items under one prefix whose last level has only 4 codes: Sinkhorn cannot split identical rows,
        // the greedy fallback fills the 4 codes, and an extra level separates the fifth.
        int[] codes = Enumerable.Repeat(new[] { 3, 1 }, 5).SelectMany(c => c).ToArray();
        float[] Distances(int[] items) => items.SelectMany(_ => new[] { 1f, 0f, 2f, 3f }).ToArray();

        CollisionResolver.Result result = CollisionResolver.Resolve(codes, 2, 4, CollisionHandling.SinkhornReassign, Distances, SinkhornOptions);

        result.Report.ExtraLevelAppended.Should().BeTrue();
        result.CodebookSizes.Should().Equal(4, 4, 2);
        result.Report.ItemsPlacedByFallback.Should().BeGreaterThan(0);
        result.Report.CollisionRateAfterSinkhorn.Should().BeGreaterThan(0);
        var ids = Enumerable.Range(0, 5).Select(i => string.Join(",", result.Codes.Skip(i * 3).Take(3))).ToList();
        ids.Should().OnlyHaveUniqueItems();
        Enumerable.Range(0, 5).Select(i => result.Codes[i * 3 + 1]).Distinct().Should().HaveCount(4, "all four last-level codes are used before a numbering level is needed");
    }

    [Fact]
    public void TheSinkhornPlanSendsTwoItemsThatPreferTheSameCodeToDifferentCodes()
    {
        // Both prefer code 0; the second one is nearly as close to code 1, so balancing moves it there.
        double[] costs = { 0.0, 1.0, 1.0, 0.0, 0.1, 1.0 };

        SinkhornAssignment.AssignByPlan(costs, 2, 3, 0.05, 100).Should().Equal(0, 1);
    }

    [Fact]
    public void BalancedAssignmentGivesClustersOfFloorOrCeilingSize()
    {
        var random = new Random(1);
        float[] distances = Enumerable.Range(0, 23 * 4).Select(_ => (float)random.NextDouble()).ToArray();

        int[] assignment = KMeans.BalancedAssign(distances, 23, 4);

        assignment.Should().OnlyContain(c => c >= 0 && c < 4);
        assignment.GroupBy(c => c).Select(g => g.Count()).OrderBy(n => n).Should().Equal(5, 6, 6, 6);
    }

    [Theory]
    [InlineData(CollisionHandling.ExtraLevel)]
    [InlineData(CollisionHandling.SinkhornReassign)]
    public void EveryTrainedItemGetsAUniqueId(CollisionHandling handling)
    {
        // Rows 10-29 repeat rows 0-9, so at least 20 items must collide whatever the training does.
        float[] data = RqVaeTestData.Default(out _);
        for (int copy = 10; copy < 30; copy++)
        {
            Array.Copy(data, (copy % 10) * RqVaeTestData.Dimension, data, copy * RqVaeTestData.Dimension, RqVaeTestData.Dimension);
        }

        RqVaeOptions options = RqVaeTestData.SmallOptions(epochs: 5);
        options.CollisionHandling = handling;
        using RqVaeModel model = RqVaeTrainer.Train(new MLContext(1), data, RqVaeTestData.Items, RqVaeTestData.Dimension, null, 0, options, out _);

        model.Collisions.CollisionRateBefore.Should().BeGreaterThanOrEqualTo(20.0 / RqVaeTestData.Items);
        RqVaeTestData.AllUnique(model.CodesBeforeResolution).Should().BeFalse();
        RqVaeTestData.AllUnique(model.Codes).Should().BeTrue();
        model.Collisions.CollisionRateAfter.Should().Be(0);
        int prefix = handling == CollisionHandling.ExtraLevel ? 3 : 2;
        for (int item = 0; item < RqVaeTestData.Items; item++)
        {
            model.Codes.GetCodes(item).Take(prefix).Should().Equal(model.CodesBeforeResolution.GetCodes(item).Take(prefix));
        }

        if (handling == CollisionHandling.ExtraLevel)
        {
            model.Codes.Levels.Should().Be(4);
        }
        else
        {
            model.Codes.Levels.Should().Be(model.Collisions.ExtraLevelAppended ? 4 : 3);
            model.Collisions.ItemsReassigned.Should().BeGreaterThan(0);
        }
    }
}
