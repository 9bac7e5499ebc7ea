using FluentAssertions;
using GenRec.Benchmarks;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;
using Xunit;

namespace GenRec.MLNet.Tests.BenchmarkRunner;

/// <summary>The benchmarks' Spectre tables rendered for logs: plain ASCII, one line per row, every value in its cell.</summary>
public sealed class BenchmarkTablesTests
{
    [Fact]
    public void Metrics_table_has_a_row_per_metric_and_a_column_per_K_with_four_decimals()
    {
        var metrics = new MetricsTable([5, 10], ["Recall", "NDCG"], new double[,] { { 0.1, 0.25 }, { 0.05, 0.123456 } }, caseCount: 7);

        IReadOnlyList<string> lines = BenchmarkTables.Render(BenchmarkTables.Metrics(metrics));

        lines.Should().HaveCount(6, "top border, header, rule, two rows, bottom border");
        lines.Should().OnlyContain(l => l.All(c => c < 128), "logs stay ASCII");
        Cells(lines[1]).Should().Equal("metric", "@5", "@10");
        Cells(lines[3]).Should().Equal("Recall", "0.1000", "0.2500");
        Cells(lines[4]).Should().Equal("NDCG", "0.0500", "0.1235");
    }

    [Fact]
    public void Levels_table_shows_each_levels_statistics()
    {
        // Three items, two levels of 4 codes: level 1 uses codes 0 and 1 (two items share 0), level 2 separates them.
        var codes = new SemanticIdTable([[0, 1], [0, 2], [1, 0]], [4, 4]);

        IReadOnlyList<string> lines = BenchmarkTables.Render(BenchmarkTables.Levels(CodeStatistics.Compute(codes)));

        Cells(lines[1]).Should().StartWith(["level", "codebook", "used", "utilization", "largest code"]);
        Cells(lines[3]).Should().StartWith(["1", "4", "2", "50.00 %", "2"]);
        Cells(lines[4]).Should().StartWith(["2", "4", "3", "75.00 %", "1"]);
        Cells(lines[4])[7].Should().Be("3", "three distinct full IDs");
    }

    [Fact]
    public void Listing_is_one_borderless_line_per_benchmark()
    {
        IReadOnlyList<string> lines = BenchmarkTables.Render(BenchmarkTables.Listing(BenchmarkRegistry.All));

        lines.Should().HaveCount(BenchmarkRegistry.All.Count);
        lines[0].Should().StartWith(BenchmarkRegistry.All[0].Name + " ").And.EndWith(BenchmarkRegistry.All[0].Description);
    }

    private static string[] Cells(string line) => [.. line.Trim('|').Split('|').Select(c => c.Trim())];
}
