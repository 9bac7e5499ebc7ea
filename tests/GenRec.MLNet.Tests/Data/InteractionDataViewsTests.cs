using FluentAssertions;
using GenRec.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class InteractionDataViewsTests
{
    private readonly MLContext _ml = new(seed: 1);

    // IDs deliberately out of alphabetical order, so a key mapping that sorted or hashed them would show.
    private static InteractionDataset Example(bool withTimestamps = true) => new(
        ["zed", "amy", "kim"],
        ["B07", "A01", "C99", "A00"],
        userIndices: [2, 0, 0, 1],
        itemIndices: [3, 1, 2, 1],
        timestamps: withTimestamps ? [1_500_000_000_123, 5, 6, 7] : null,
        itemText: ["bee", null, "sea", "ay"]);

    [Fact]
    public void ToDataView_KeysAreIndexPlusOneWithIdsAsKeyValues()
    {
        var view = Example().ToDataView(_ml);

        var user = view.Schema[InteractionDataViews.UserIdColumn];
        user.Type.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be(3UL);
        view.Schema[InteractionDataViews.ItemIdColumn].Type.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be(4UL);
        view.Schema[InteractionDataViews.TimestampColumn].Type.Should().Be(NumberDataViewType.Double);

        var keyValues = default(VBuffer<ReadOnlyMemory<char>>);
        user.GetKeyValues(ref keyValues);
        keyValues.DenseValues().Select(v => v.ToString()).Should().Equal("zed", "amy", "kim");

        view.GetColumn<uint>(InteractionDataViews.UserIdColumn).Should().Equal(3u, 1u, 1u, 2u);
        view.GetColumn<uint>(InteractionDataViews.ItemIdColumn).Should().Equal(4u, 2u, 3u, 2u);
        view.GetColumn<double>(InteractionDataViews.TimestampColumn).Should().Equal(1_500_000_000_123d, 5d, 6d, 7d);
    }

    [Fact]
    public void ToDataView_MapKeyToValueGivesOriginalIds()
    {
        var view = Example().ToDataView(_ml);
        var mapped = _ml.Transforms.Conversion.MapKeyToValue("UserText", InteractionDataViews.UserIdColumn)
            .Append(_ml.Transforms.Conversion.MapKeyToValue("ItemText", InteractionDataViews.ItemIdColumn))
            .Fit(view).Transform(view);

        mapped.GetColumn<string>("UserText").Should().Equal("kim", "zed", "zed", "amy");
        mapped.GetColumn<string>("ItemText").Should().Equal("A00", "A01", "C99", "A01");
    }

    [Fact]
    public void ToDataView_WithoutTimestamps_HasNoTimestampColumn()
    {
        var view = Example(withTimestamps: false).ToDataView(_ml);
        view.Schema.GetColumnOrNull(InteractionDataViews.TimestampColumn).Should().BeNull();
        InteractionDataViews.ToInteractionDataset(view).Timestamps.Should().BeNull();
    }

    [Fact]
    public void RoundTrip_RestoresIndicesIdsAndTimestamps()
    {
        var source = Example();
        var back = InteractionDataViews.ToInteractionDataset(source.ToDataView(_ml), itemText: source.ItemText);

        back.UserIds.Should().Equal(source.UserIds);
        back.ItemIds.Should().Equal(source.ItemIds);
        back.UserIndices.Should().Equal(source.UserIndices);
        back.ItemIndices.Should().Equal(source.ItemIndices);
        back.Timestamps.Should().Equal(source.Timestamps);
        back.ItemText.Should().Equal(source.ItemText);
    }

    [Fact]
    public void ToInteractionDataset_ReadsKeysMadeByMapValueToKey()
    {
        var rows = new[] { new TextRow("amy", "x"), new TextRow("bob", "y"), new TextRow("amy", "y") };
        var text = _ml.Data.LoadFromEnumerable(rows);
        var keyed = _ml.Transforms.Conversion.MapValueToKey("UserId", nameof(TextRow.User))
            .Append(_ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(TextRow.Item)))
            .Fit(text).Transform(text);

        var d = InteractionDataViews.ToInteractionDataset(keyed);

        d.UserIds.Should().Equal("amy", "bob");
        d.ItemIds.Should().Equal("x", "y");
        d.UserIndices.Should().Equal(0, 1, 0);
        d.ItemIndices.Should().Equal(0, 1, 1);
        d.Timestamps.Should().BeNull();
    }

    [Fact]
    public void ToInteractionDataset_ReportsMissingOrMistypedColumnsByName()
    {
        var rows = new[] { new TextRow("amy", "x") };
        var text = _ml.Data.LoadFromEnumerable(rows);

        FluentActions.Invoking(() => InteractionDataViews.ToInteractionDataset(text))
            .Should().Throw<ArgumentException>().WithMessage("*no column 'UserId'*");
        FluentActions.Invoking(() => InteractionDataViews.ToInteractionDataset(text, userColumn: nameof(TextRow.User), itemColumn: nameof(TextRow.Item)))
            .Should().Throw<ArgumentException>().WithMessage("*Column 'User' must be a key column*");

        var keyed = Example().ToDataView(_ml);
        FluentActions.Invoking(() => InteractionDataViews.ToInteractionDataset(
                _ml.Transforms.Conversion.MapKeyToValue("Name", "UserId").Fit(keyed).Transform(keyed), timestampColumn: "Name"))
            .Should().Throw<ArgumentException>().WithMessage("*Column 'Name' must be Double, Single, Int64 or Int32*");
    }

    [Fact]
    public void ItemTextDataView_HasItemKeyAndText()
    {
        var view = Example().ItemTextDataView(_ml);

        view.Schema[InteractionDataViews.ItemIdColumn].Type.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be(4UL);
        view.GetColumn<uint>(InteractionDataViews.ItemIdColumn).Should().Equal(1u, 2u, 3u, 4u);
        view.GetColumn<string>(InteractionDataViews.TextColumn).Should().Equal("bee", "", "sea", "ay");
    }

    private sealed record TextRow(string User, string Item);
}
