using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class RecBoleAtomicLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_ReadsInterAndItemText()
    {
        var inter = _dir.Write(
            "toy.inter",
            "user_id:token\titem_id:token\trating:float\ttimestamp:float",
            "u1\tiB\t5.0\t978300760.0",
            "u2\tiA\t3.0\t978302109",
            "u1\tiA\t4.0\t978301968.7");
        var item = _dir.Write(
            "toy.item",
            "item_id:token\ttitle:token_seq\tprice:float\tcategories:token_seq\tbrand:token",
            "iA\tRed Lipstick\t9.5\tBeauty Makeup Lips\t",
            "iB\tHair Comb\t1.0\tBeauty Hair\tAcme",
            "iZ\tUnused\t1.0\tNone\tNone");

        var d = RecBoleAtomicLoader.Load(inter, item);

        d.UserIds.Should().Equal("u1", "u2");
        d.ItemIds.Should().Equal("iB", "iA");
        d.UserIndices.Should().Equal(0, 1, 0);
        d.ItemIndices.Should().Equal(0, 1, 1);
        d.Timestamps.Should().Equal(978300760, 978302109, 978301968);
        d.ItemText.Should().Equal("Hair Comb | Beauty Hair | Acme", "Red Lipstick | Beauty Makeup Lips");
    }

    [Fact]
    public void Load_WithoutTimestampColumn_HasNoTimestamps()
    {
        var inter = _dir.Write("a.inter", "item_id:token\tuser_id:token", "i1\tu1");
        var d = RecBoleAtomicLoader.Load(inter);
        d.Timestamps.Should().BeNull();
        d.UserIds.Should().Equal("u1");
        d.ItemIds.Should().Equal("i1");
    }

    [Theory]
    [InlineData("user_id:token\titem_id:token\ttimestamp:float", "u1\ti1", 2, "expected 3 tab-separated columns")]
    [InlineData("user_id:token\titem_id:token\ttimestamp:float", "u1\ti1\tnoon", 2, "timestamp 'noon' is not a number")]
    [InlineData("user_id:token\titem_id:token", "u1\t", 2, "column 'item_id' is empty")]
    [InlineData("user_id:token\tproduct:token", "u1\ti1", 1, "missing header column 'item_id:token'")]
    [InlineData("user_id:token\titem_id:float", "u1\t1", 1, "column 'item_id' must have type token")]
    [InlineData("user_id:token\titem_id:token\trating:int", "u1\ti1\t3", 1, "unknown type 'int'")]
    [InlineData("user_id\titem_id:token", "u1\ti1", 1, "is not of the form name:type")]
    public void Load_BadInter_ReportsFileAndLine(string header, string row, int line, string problem)
    {
        var inter = _dir.Write("bad.inter", header, row);
        TempDirectory.ShouldFailAt(() => RecBoleAtomicLoader.Load(inter), inter, line, problem);
    }

    [Fact]
    public void Load_BadItemFile_ReportsItemFileAndLine()
    {
        var inter = _dir.Write("a.inter", "user_id:token\titem_id:token", "u1\ti1");
        var item = _dir.Write("a.item", "item_id:token\ttitle:token_seq", "i1\tOne", "i1\tAgain");
        TempDirectory.ShouldFailAt(() => RecBoleAtomicLoader.Load(inter, item), item, 3, "item 'i1' is listed twice");
    }

    [Fact]
    public void Load_MissingItemFile_ThrowsFileNotFoundWithPath()
    {
        var inter = _dir.Write("a.inter", "user_id:token\titem_id:token", "u1\ti1");
        string item = Path.Combine(_dir.Path, "a.item");
        FluentActions.Invoking(() => RecBoleAtomicLoader.Load(inter, item)).Should().Throw<FileNotFoundException>()
            .Which.FileName.Should().Be(item);
    }
}
