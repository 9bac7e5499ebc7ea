using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class OrderByTimeTests
{
    [Fact]
    public void OrderByTime_SortsPerUserAndKeepsTiesInLoadOrder()
    {
        var d = new InteractionDataset(
            ["u0", "u1"],
            ["a", "b", "c", "d"],
            userIndices: [1, 0, 1, 0, 1, 0],
            itemIndices: [0, 1, 2, 3, 3, 0],
            timestamps: [30, 20, 10, 10, 10, 20],
            itemText: ["A", "B", "C", "D"]);

        var ordered = d.OrderByTime();

        ordered.UserIndices.Should().Equal(0, 0, 0, 1, 1, 1);
        ordered.ItemIndices.Should().Equal(3, 1, 0, 2, 3, 0); // u0: d(10), b(20), a(20, loaded after b)
        ordered.Timestamps.Should().Equal(10, 20, 20, 10, 10, 30);
        ordered.ItemText.Should().BeSameAs(d.ItemText);
        d.UserIndices.Should().Equal(1, 0, 1, 0, 1, 0); // the source is untouched
    }

    [Fact]
    public void OrderByTime_WithoutTimestamps_GroupsByUserInLoadOrder()
    {
        var d = new InteractionDataset(["u0", "u1"], ["a", "b", "c"], [1, 0, 1, 0], [2, 1, 0, 0]);

        var ordered = d.OrderByTime();

        ordered.UserIndices.Should().Equal(0, 0, 1, 1);
        ordered.ItemIndices.Should().Equal(1, 0, 2, 0);
        ordered.Timestamps.Should().BeNull();
    }
}
