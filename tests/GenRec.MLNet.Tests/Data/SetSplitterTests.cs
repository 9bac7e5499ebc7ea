using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class SetSplitterTests
{
    // u0 has 6 distinct items (one repeated), u1 has 2, u2 has 3.
    private static InteractionDataset Example() => new(
        ["u0", "u1", "u2"],
        Enumerable.Range(0, 10).Select(i => "i" + i).ToArray(),
        userIndices: [0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2],
        itemIndices: [0, 1, 2, 3, 4, 5, 0, 6, 7, 7, 8, 9]);

    [Fact]
    public void HoldOut_PartitionsEachUsersItemSet()
    {
        var split = SetSplitter.HoldOut(Example(), seed: 42, testItemsPerUser: 2, withValidation: true);

        split.TestTargets[0].Should().HaveCount(2);
        split.ValidTargets[0].Should().HaveCount(1);
        split.TrainSets[0].Should().HaveCount(3);
        split.TrainSets[0].Concat(split.ValidTargets[0]).Concat(split.TestTargets[0])
            .Should().BeEquivalentTo(new[] { 0, 1, 2, 3, 4, 5 });

        // u1 (2 items) cannot give 3 held-out items and keep one for training: all stays in training.
        split.TrainSets[1].Should().Equal(6, 7);
        split.TestTargets[1].Should().BeEmpty();
        split.ValidTargets[1].Should().BeEmpty();

        // u2 has exactly 3: not enough for 2 test + 1 valid + 1 train either.
        split.TestTargets[2].Should().BeEmpty();
    }

    [Fact]
    public void HoldOut_OneTestItemWithoutValidation()
    {
        var split = SetSplitter.HoldOut(Example(), seed: 7);

        split.ValidTargets.Should().OnlyContain(v => v.Length == 0);
        split.TestTargets[1].Should().HaveCount(1);
        split.TrainSets[1].Should().HaveCount(1);
        split.TrainSets[1].Concat(split.TestTargets[1]).Should().BeEquivalentTo(new[] { 6, 7 });
        split.TrainingPairs().Users.Should().HaveCount(5 + 1 + 2);
        split.TrainDataset().InteractionCount.Should().Be(8);
    }

    [Fact]
    public void HoldOut_IsDeterministicForASeed()
    {
        var a = SetSplitter.HoldOut(Example(), seed: 3, withValidation: true);
        var b = SetSplitter.HoldOut(Example(), seed: 3, withValidation: true);
        a.TestTargets.Should().BeEquivalentTo(b.TestTargets, o => o.WithStrictOrdering());
        a.TrainSets.Should().BeEquivalentTo(b.TrainSets, o => o.WithStrictOrdering());

        // Over several seeds, the held-out item of the 6-item user must not always be the same.
        var heldOut = Enumerable.Range(0, 20).Select(s => SetSplitter.HoldOut(Example(), s).TestTargets[0][0]).Distinct();
        heldOut.Should().HaveCountGreaterThan(1);
    }
}
