using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class AmazonJsonLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_KeepsIndicesAsIdsAndSynthesizesPositions()
    {
        var inter = _dir.Write(
            "Toy.inter.json",
            "{",
            "  \"1\": [3, 0],",
            "  \"0\": [0, 1, 4]",
            "}");

        var d = AmazonJsonLoader.Load(inter);

        d.UserIds.Should().Equal("0", "1");
        d.ItemIds.Should().Equal("0", "1", "2", "3", "4"); // 0..max index, item 2 never seen but kept
        d.UserIndices.Should().Equal(1, 1, 0, 0, 0);       // file order of events
        d.ItemIndices.Should().Equal(3, 0, 0, 1, 4);
        d.Timestamps.Should().Equal(0, 1, 0, 1, 2);
        d.ItemText.Should().BeNull();
        d.OrderByTime().SequencesByUser().Should().BeEquivalentTo(new[] { new[] { 0, 1, 4 }, new[] { 3, 0 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Load_NonIndexUserKeys_AreIndexedInFileOrder()
    {
        var inter = _dir.Write("x.inter.json", "{\"AXY\": [1], \"5\": [0]}");
        var d = AmazonJsonLoader.Load(inter);
        d.UserIds.Should().Equal("AXY", "5");
        d.UserIndices.Should().Equal(0, 1);
    }

    [Fact]
    public void Load_ItemJson_JoinsStringFields()
    {
        var inter = _dir.Write("t.inter.json", "{\"0\": [0, 1]}");
        var item = _dir.Write(
            "t.item.json",
            "{",
            "  \"0\": {\"title\": \"Lip Balm\", \"categories\": [[\"Beauty\", \"Lips\"]], \"price\": 3.5, \"brand\": \"Acme\"},",
            "  \"2\": {\"title\": \"Comb\", \"details\": {\"x\": \"y\"}}",
            "}");

        var d = AmazonJsonLoader.Load(inter, item);

        d.ItemCount.Should().Be(3); // item 2 only appears in the item file
        d.ItemText.Should().Equal("Lip Balm | Beauty, Lips | Acme", null, "Comb");
    }

    [Theory]
    [InlineData(new[] { "{", "  \"0\": [1, \"two\"]", "}" }, 2, "item index \"two\" of user '0' is not a non-negative integer")]
    [InlineData(new[] { "{", "  \"0\": [1],", "  \"1\": [2.5]", "}" }, 3, "item index 2.5")]
    [InlineData(new[] { "{", "  \"0\": [1],", "  \"0\": [2]", "}" }, 3, "user '0' appears twice")]
    [InlineData(new[] { "{", "  \"0\": 7", "}" }, 2, "must be an array")]
    [InlineData(new[] { "[1, 2]" }, 1, "one JSON object")]
    [InlineData(new[] { "{", "  \"0\": [1,,2]", "}" }, 2, "invalid JSON")]
    [InlineData(new[] { "{", "  \"0\": [1]", "}", "x" }, 4, "invalid JSON")]
    public void Load_BadInteractions_ReportsFileAndLine(string[] lines, int line, string problem)
    {
        var inter = _dir.Write("bad.inter.json", lines);
        TempDirectory.ShouldFailAt(() => AmazonJsonLoader.Load(inter), inter, line, problem);
    }

    [Fact]
    public void Load_BadItemKey_ReportsItemFileAndLine()
    {
        var inter = _dir.Write("t.inter.json", "{\"0\": [0]}");
        var item = _dir.Write("t.item.json", "{", "  \"0\": {\"title\": \"a\"},", "  \"B00X\": {\"title\": \"b\"}", "}");
        TempDirectory.ShouldFailAt(() => AmazonJsonLoader.Load(inter, item), item, 3, "item key 'B00X' is not a non-negative integer");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundWithPath()
    {
        string path = Path.Combine(_dir.Path, "none.inter.json");
        FluentActions.Invoking(() => AmazonJsonLoader.Load(path)).Should().Throw<FileNotFoundException>()
            .Which.Message.Should().Contain(path);
    }
}
