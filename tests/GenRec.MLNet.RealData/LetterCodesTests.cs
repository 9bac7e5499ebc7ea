using FluentAssertions;
using GenRec.MLNet.Tokenization;
using Xunit;

namespace GenRec.MLNet.RealData;

/// <summary>
/// Imports the semantic IDs the LETTER authors released for Beauty and checks them against the figures in
/// <c>shared/docs/reference-results.md</c> (197 of 256 first-level codes used, 0.11% of items still sharing a code).
/// </summary>
public sealed class LetterCodesTests
{
    [Fact]
    public void Beauty_LetterIndex_ImportsWithPublishedCodeStatistics()
    {
        string path = SharedDatasets.File("beauty", "Beauty.letter-index.json");

        // ItemCount ties the codes to the interaction data's 12,101 items: none missing, none extra.
        var table = SemanticIdCodeFileImporter.ImportJson(path, new SemanticIdImportOptions { ItemCount = 12_101 });
        var stats = CodeStatistics.Compute(table);

        table.ItemCount.Should().Be(12_101);
        table.Levels.Should().Be(4);
        table.CodebookSizes.Should().Equal(256, 256, 256, 256);
        stats.PerLevel[0].UsedCodes.Should().Be(197);
        stats.PerLevel.Skip(1).Should().OnlyContain(l => l.UsedCodes == 256);
        stats.CollisionRate.Should().BeInRange(0.0005, 0.002);
        // Measured: 12,088 distinct IDs; 24 items in 11 shared IDs (at most 3 per ID). LETTER's own "collision rate",
        // (items - distinct IDs) / items = 13 / 12,101 = 0.11%, is the duplicate rate here.
        stats.DistinctIds.Should().Be(12_088);
        stats.CollidingItems.Should().Be(24);
        stats.CollidingGroups.Should().Be(11);
        stats.LargestBucket.Should().Be(3);
        stats.DuplicateItems.Should().Be(13);
        stats.DuplicateRate.Should().BeApproximately(0.0011, 0.00005);

        // The export reproduces their file byte for byte, so codes made here can be fed to LETTER's own scripts.
        string copy = Path.Combine(Path.GetTempPath(), $"letter-index-{Guid.NewGuid():N}.json");
        try
        {
            SemanticIdCodeFileImporter.ExportJson(table, copy);
            File.ReadAllBytes(copy).AsSpan().SequenceEqual(File.ReadAllBytes(path)).Should().BeTrue("the export must equal LETTER's file");
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
