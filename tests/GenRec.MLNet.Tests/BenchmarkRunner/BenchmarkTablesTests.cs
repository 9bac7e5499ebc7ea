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
    public void Cells_table_keeps_each_cell_as_given_and_right_aligns_all_but_the_first_column()
    {
        IReadOnlyList<string> lines = BenchmarkTables.Render(BenchmarkTables.Cells(
            ["code set", "recall@10", "entropy"],
            [["(a) letter", "0.0642", "6.37 / 7.96"], ["[b] text", "0.1", "8.00 / 7.99"]]));

        lines.Should().HaveCount(6, "top border, header, rule, two rows, bottom border");
        Cells(lines[1]).Should().Equal("code set", "recall@10", "entropy");
        Cells(lines[3]).Should().Equal("(a) letter", "0.0642", "6.37 / 7.96");
        Cells(lines[4]).Should().Equal(new[] { "[b] text", "0.1", "8.00 / 7.99" }, "square brackets are text, not Spectre markup");
        lines[4].Should().Contain("|       0.1 |", "figures are right-aligned under their header (recall@10, 9 wide)");
        lines[4].Should().Contain("| [b] text   |", "the name column is left-aligned");
    }

    [Fact]
    public void Cells_table_rejects_a_row_with_the_wrong_number_of_cells()
    {
        Action build = () => BenchmarkTables.Cells(["a", "b"], [["1", "2"], ["3"]]);

        build.Should().Throw<ArgumentException>().WithMessage("A row has 1 cells but the table has 2 columns.*");
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
