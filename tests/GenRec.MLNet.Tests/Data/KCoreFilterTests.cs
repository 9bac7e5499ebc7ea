using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class KCoreFilterTests
{
    // Users a, c, d, b and items x, z, y, w (indices in first-appearance order). With k = 2 a single pass would only
    // drop item z (1 interaction). Iterating: dropping z leaves user c with 1 interaction -> c goes -> item w falls
    // to 1 -> w goes -> user d falls to 1 -> d goes. Only a and b with x and y remain.
    private static InteractionDataset Example() => new(
        userIds: ["a", "c", "d", "b"],
        itemIds: ["x", "z", "y", "w"],
        userIndices: [0, 1, 0, 2, 3, 1, 3, 2],
        itemIndices: [0, 1, 2, 3, 0, 3, 2, 0],
        timestamps: [5, 1, 6, 2, 7, 3, 8, 4],
        itemText: ["X", "Z", "Y", "W"]);

    [Fact]
    public void Apply_IteratesUntilEveryUserAndItemHasK()
    {
        var core = KCoreFilter.Apply(Example(), 2);

        core.UserIds.Should().Equal("a", "b");
        core.ItemIds.Should().Equal("x", "y");
        core.ItemText.Should().Equal("X", "Y");
        core.UserIndices.Should().Equal(0, 0, 1, 1);
        core.ItemIndices.Should().Equal(0, 1, 0, 1);
        core.Timestamps.Should().Equal(5, 6, 7, 8); // surviving events keep their order and timestamps
    }

    [Fact]
    public void Apply_WithKOne_KeepsEverything()
    {
        var core = KCoreFilter.Apply(Example(), 1);
        core.InteractionCount.Should().Be(8);
        core.UserIds.Should().Equal("a", "c", "d", "b");
    }

    [Fact]
    public void Apply_WithLargeK_EmptiesTheDataset()
    {
        var core = KCoreFilter.Apply(Example(), 3);
        core.InteractionCount.Should().Be(0);
        core.UserCount.Should().Be(0);
        core.ItemCount.Should().Be(0);
    }

    [Fact]
    public void Apply_RejectsKBelowOne()
    {
        FluentActions.Invoking(() => KCoreFilter.Apply(Example(), 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
