using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Tests.Data;
using GenRec.MLNet.Tokenization;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Statistics;

public sealed class SemanticIdCodeFileImporterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ImportJson_ReadsLetterTokens_ByItemIndex_WithDefaultCodebooks()
    {
        var path = _dir.Write(
            "codes.json",
            "{",
            "  \"1\": [\"<a_183>\", \"<b_122>\", \"<c_96>\", \"<d_235>\"],",
            "  \"0\": [\"<a_183>\", \"<b_70>\", \"<c_232>\", \"<d_6>\"]",
            "}");

        var table = SemanticIdCodeFileImporter.ImportJson(path);

        table.ItemCount.Should().Be(2);
        table.Levels.Should().Be(4);
        table.CodebookSizes.Should().Equal(256, 256, 256, 256);
        table.GetCodes(0).Should().Equal(183, 70, 232, 6);   // keys, not file order, decide the item
        table.GetCodes(1).Should().Equal(183, 122, 96, 235);
    }

    [Fact]
    public void ImportJson_InfersOrTakesCodebookSizes()
    {
        var path = _dir.Write("c.json", "{\"0\": [\"<a_3>\", \"<b_0>\"], \"1\": [\"<a_1>\", \"<b_9>\"]}");

        SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { InferCodebookSizes = true })
            .CodebookSizes.Should().Equal(4, 10);
        SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { CodebookSizes = [8, 16] })
            .CodebookSizes.Should().Equal(8, 16);
        SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { CodebookSize = 10 })
            .CodebookSizes.Should().Equal(10, 10);
    }

    [Fact]
    public void ImportJson_CodeOutsideGivenCodebook_FailsAtItsLine()
    {
        var path = _dir.Write("c.json", "{", "\"0\": [\"<a_3>\", \"<b_0>\"],", "\"1\": [\"<a_1>\", \"<b_9>\"]", "}");

        TempDirectory.ShouldFailAt(
            () => SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { CodebookSize = 8 }),
            path, 3, "item 1 has code 9 at level 1 (<b_9>), outside the codebook of size 8");
        TempDirectory.ShouldFailAt(
            () => SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { CodebookSizes = [8, 16, 16] }),
            path, 0, "the file has 2 levels but 3 codebook sizes were given");
    }

    [Theory]
    [InlineData("\"<a183>\"", "\"<a183>\" is not a code token of the form <x_N>")]
    [InlineData("\"<a_-1>\"", "\"<a_-1>\" is not a code token")]
    [InlineData("\"<A_1>\"", "\"<A_1>\" is not a code token")]
    [InlineData("\"a_1\"", "\"a_1\" is not a code token")]
    [InlineData("5", "code 1 must be a token string such as \"<a_183>\"; found 5")]
    [InlineData("\"<b_1>\"", "code 1 is \"<b_1>\" but must be on level 'a'")]
    public void ImportJson_BadToken_FailsAtItsLineAndNamesTheItem(string firstToken, string problem)
    {
        var path = _dir.Write("c.json", "{", "\"0\": [\"<a_1>\", \"<b_2>\"],", $"\"1\": [{firstToken}, \"<b_2>\"]", "}");

        var ex = TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(path), path, 3, problem);
        ex.Problem.Should().StartWith("item 1");
    }

    [Fact]
    public void ImportJson_LevelLettersOutOfOrder_Fail()
    {
        var path = _dir.Write("c.json", "{\"0\": [\"<a_1>\", \"<c_2>\", \"<b_3>\"]}");

        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(path), path, 1, "code 2 is \"<c_2>\" but must be on level 'b'");
    }

    [Fact]
    public void ImportJson_DuplicateItem_FailsAndPointsToTheFirst()
    {
        var path = _dir.Write("c.json", "{", "\"0\": [\"<a_1>\"],", "\"1\": [\"<a_1>\"],", "\"0\": [\"<a_2>\"]", "}");

        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(path), path, 4, "item 0 appears twice (first on line 2)");
    }

    [Fact]
    public void ImportJson_InconsistentLevelCount_Fails()
    {
        var path = _dir.Write("c.json", "{", "\"0\": [\"<a_1>\", \"<b_1>\"],", "\"1\": [\"<a_1>\"]", "}");

        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(path), path, 3, "item 1 has 1 codes but item 0 (line 2) has 2");
    }

    [Fact]
    public void ImportJson_GapInItemIndices_ListsTheMissingItems()
    {
        var path = _dir.Write("c.json", "{\"0\": [\"<a_1>\"], \"2\": [\"<a_1>\"], \"4\": [\"<a_1>\"]}");

        TempDirectory.ShouldFailAt(
            () => SemanticIdCodeFileImporter.ImportJson(path), path, 0,
            "the 3 item indices must be exactly 0..2, but 1 of those are missing (largest index found: 4): 1.");
    }

    [Fact]
    public void ImportJson_WithItemCount_ReportsMissingAndOutOfRangeItems()
    {
        var path = _dir.Write("c.json", "{", "\"0\": [\"<a_1>\"],", "\"1\": [\"<a_1>\"],", "\"7\": [\"<a_1>\"]", "}");

        TempDirectory.ShouldFailAt(
            () => SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { ItemCount = 5 }), path, 4,
            "item index 7 is outside 0..4 (the expected item count is 5)");
        TempDirectory.ShouldFailAt(
            () => SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { ItemCount = 20 }), path, 0,
            "17 of the expected 20 items have no codes: 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, ... (7 more).");
    }

    [Fact]
    public void ImportJson_MalformedDocuments_FailWithDataFormatException()
    {
        var notJson = _dir.Write("a.json", "{\"0\": [\"<a_1>\",}");
        var array = _dir.Write("b.json", "[[\"<a_1>\"]]");
        var key = _dir.Write("c.json", "{\"x\": [\"<a_1>\"]}");
        var empty = _dir.Write("d.json", "{}");
        var emptyCodes = _dir.Write("e.json", "{\"0\": []}");

        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(notJson), notJson, 1, "invalid JSON");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(array), array, 1, "must hold one JSON object");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(key), key, 1, "item key \"x\" is not a non-negative integer");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(empty), empty, 0, "the file holds no items");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportJson(emptyCodes), emptyCodes, 1, "item 0 has no codes");
    }

    [Fact]
    public void Import_MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(_dir.Path, "nope.json");
        FluentActions.Invoking(() => SemanticIdCodeFileImporter.ImportJson(path)).Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
        FluentActions.Invoking(() => SemanticIdCodeFileImporter.ImportText(path)).Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void ExportJson_WritesLetterLayout_AndRoundTrips()
    {
        var table = new SemanticIdTable([[183, 70, 232, 6], [183, 122, 96, 235], [52, 170, 54, 27]], [256, 256, 256, 256]);
        string path = Path.Combine(_dir.Path, "out", "codes.json");

        SemanticIdCodeFileImporter.ExportJson(table, path);

        // Python json.dump's layout, as in LETTER's released files: one line, ", " and ": " separators, no newline.
        File.ReadAllText(path).Should().Be(
            "{\"0\": [\"<a_183>\", \"<b_70>\", \"<c_232>\", \"<d_6>\"], \"1\": [\"<a_183>\", \"<b_122>\", \"<c_96>\", \"<d_235>\"], " +
            "\"2\": [\"<a_52>\", \"<b_170>\", \"<c_54>\", \"<d_27>\"]}");
        ShouldEqual(SemanticIdCodeFileImporter.ImportJson(path), table);
    }

    [Fact]
    public void ExportJson_MoreLevelsThanLetters_Throws()
    {
        var table = new SemanticIdTable([new int[27]], Enumerable.Repeat(2, 27).ToArray());
        FluentActions.Invoking(() => SemanticIdCodeFileImporter.ExportJson(table, Path.Combine(_dir.Path, "x.json")))
            .Should().Throw<ArgumentException>().WithMessage("*27 levels*ExportText*");
    }

    [Fact]
    public void Text_ExportsTabSeparatedLines_AndRoundTrips()
    {
        var table = new SemanticIdTable([[1, 2, 3], [0, 0, 7], [4, 4, 4]], [5, 6, 8]);
        string path = Path.Combine(_dir.Path, "codes.tsv");

        SemanticIdCodeFileImporter.ExportText(table, path);

        File.ReadAllText(path).Should().Be("0\t1 2 3\n1\t0 0 7\n2\t4 4 4\n");
        ShouldEqual(SemanticIdCodeFileImporter.ImportText(path, new SemanticIdImportOptions { CodebookSizes = [5, 6, 8] }), table);
    }

    [Fact]
    public void ImportText_SkipsCommentsAndBlankLines_AcceptsSpaces()
    {
        var path = _dir.Write("c.txt", "# item codes", "", "1 3 4", "0\t1\t2", "   ");

        var table = SemanticIdCodeFileImporter.ImportText(path, new SemanticIdImportOptions { InferCodebookSizes = true });

        table.GetCodes(0).Should().Equal(1, 2);
        table.GetCodes(1).Should().Equal(3, 4);
        table.CodebookSizes.Should().Equal(4, 5);
    }

    [Fact]
    public void ImportText_BadLines_FailAtTheirLine()
    {
        var badItem = _dir.Write("a.txt", "0\t1 2", "x\t1 2");
        var badCode = _dir.Write("b.txt", "0\t1 2", "1\t1 -2");
        var noCodes = _dir.Write("c.txt", "0\t1 2", "1");
        var levels = _dir.Write("d.txt", "0\t1 2", "1\t1 2 3");
        var duplicate = _dir.Write("e.txt", "0\t1 2", "0\t1 2");

        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportText(badItem), badItem, 2, "item index \"x\" is not a non-negative integer");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportText(badCode), badCode, 2, "item 1: code 2 \"-2\" is not a non-negative integer");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportText(noCodes), noCodes, 2, "item 1 has no codes");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportText(levels), levels, 2, "item 1 has 3 codes but item 0 (line 1) has 2");
        TempDirectory.ShouldFailAt(() => SemanticIdCodeFileImporter.ImportText(duplicate), duplicate, 2, "item 0 appears twice (first on line 1)");
    }

    [Fact]
    public void Options_Contradictions_AreArgumentErrors()
    {
        var path = _dir.Write("c.json", "{\"0\": [\"<a_1>\"]}");
        FluentActions.Invoking(() => SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { CodebookSizes = [4], InferCodebookSizes = true }))
            .Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { CodebookSize = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    private static void ShouldEqual(SemanticIdTable actual, SemanticIdTable expected)
    {
        actual.ItemCount.Should().Be(expected.ItemCount);
        actual.CodebookSizes.Should().Equal(expected.CodebookSizes);
        actual.AllCodes.ToArray().Should().Equal(expected.AllCodes.ToArray());
    }
}
