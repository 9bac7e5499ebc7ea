using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class SequenceSplitterTests
{
    // u0: 10 11 12 13 14 (5 items), u1: 20 21 (too short), u2: 30 31 32 (exactly 3), u3: no events.
    private static InteractionDataset Example()
    {
        var itemIds = Enumerable.Range(0, 40).Select(i => i.ToString()).ToArray();
        return new InteractionDataset(
            ["u0", "u1", "u2", "u3"],
            itemIds,
            userIndices: [0, 1, 2, 0, 0, 1, 2, 0, 2, 0],
            itemIndices: [10, 20, 30, 11, 12, 21, 31, 13, 32, 14],
            timestamps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }

    [Fact]
    public void LeaveOneOut_HoldsOutLastTwoAndCapsHistory()
    {
        var split = SequenceSplitter.LeaveOneOut(Example(), maxHistory: 2);

        split.TrainSequences[0].Should().Equal(10, 11, 12);
        split.TrainSequences[1].Should().Equal(20, 21); // short user: everything stays in training
        split.TrainSequences[2].Should().Equal(30);
        split.TrainSequences[3].Should().BeEmpty();
        split.ShortUserCount.Should().Be(1);

        split.ValidationCases.Select(c => c.UserIndex).Should().Equal(0, 2);
        var v0 = split.ValidationCases[0];
        v0.FullHistory.Should().Equal(10, 11, 12);
        v0.History.Should().Equal(11, 12);
        v0.Target.Should().Be(13);

        split.TestCases.Select(c => c.UserIndex).Should().Equal(0, 2);
        var t0 = split.TestCases[0];
        t0.FullHistory.Should().Equal(10, 11, 12, 13);
        t0.History.Should().Equal(12, 13);
        t0.Target.Should().Be(14);
        t0.ToRequest().History.Should().Equal(12, 13);

        var t2 = split.TestCases[1];
        t2.History.Should().Equal(30, 31);
        t2.Target.Should().Be(32);
        split.ValidationCases[1].History.Should().Equal(30);
        split.ValidationCases[1].Target.Should().Be(31);
    }

    [Fact]
    public void LeaveOneOut_UnlimitedHistory_KeepsEverything()
    {
        var split = SequenceSplitter.LeaveOneOut(Example(), maxHistory: 0);
        split.TestCases[0].History.Should().Equal(10, 11, 12, 13);
    }

    [Fact]
    public void LeaveOneOut_TrainingPairsAndDatasetCarryTimestamps()
    {
        var split = SequenceSplitter.LeaveOneOut(Example());

        var (users, items) = split.TrainingPairs();
        users.Should().Equal(0, 0, 0, 1, 1, 2);
        items.Should().Equal(10, 11, 12, 20, 21, 30);

        var train = split.TrainDataset(includeValidation: true);
        train.ItemIndices.Should().Equal(10, 11, 12, 13, 20, 21, 30, 31);
        train.Timestamps.Should().Equal(1, 4, 5, 8, 2, 6, 3, 7);
        train.UserCount.Should().Be(4);
        train.ItemCount.Should().Be(40);
    }
}
