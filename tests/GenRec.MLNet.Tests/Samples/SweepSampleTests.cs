using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// samples/Sweep run as a user runs it (<c>-- SECONDS</c>): the trials table with its best row marked, the best
/// options, the test scores of the refit, and the exit codes for a wrong argument and for a budget no trial fits in.
/// </summary>
[Collection(SampleProgramsCollection.Name)]
public sealed partial class SweepSampleTests
{
    // The sample has no public type to take the assembly from; the test project references it (alias SweepApp).
    private static readonly Assembly Sample = Assembly.Load(new AssemblyName("Sweep"));

    [Fact]
    public void ASweepOf45SecondsPrintsTheTrialsTableTheBestTrialAndItsTestScores()
    {
        // A trial took 6 to 8 s on 2 busy cores but over 20 s with two benchmarks beside the tests (a 20 s budget then
        // completed none), so 45 s leaves room for one on a crowded machine; on a quiet one the 7-trial limit ends it first.
        SampleRun run = SampleRun.Invoke(Sample, "45");

        run.ExitCode.Should().Be(0, run.ToString());
        string[] lines = run.OutputLines;
        int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("trial  rung  budget  status", StringComparison.Ordinal));
        header.Should().BePositive(run.ToString());
        lines[header].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "trial", "rung", "budget", "status", "recall@10", "ndcg@10", "seconds", "Dimension", "CodebookSize", "LearningRate", "DecoderLayers");

        TableRow[] rows = [.. lines.Skip(header + 1).Select(l => TrialLine().Match(l)).TakeWhile(m => m.Success).Select(TableRow.From)];
        rows.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(7);
        rows.Select(r => r.Id).Should().Equal(Enumerable.Range(0, rows.Length));
        TableRow[] completed = [.. rows.Where(r => r.Status == "Completed")];
        completed.Should().NotBeEmpty();
        completed.Should().OnlyContain(r => r.Recall >= 0 && r.Recall <= 1 && r.Ndcg >= 0 && r.Ndcg <= r.Recall);
        TableRow best = rows.Single(r => r.Best);
        best.Recall.Should().Be(completed.Max(r => r.Recall), "the marked trial has the highest validation Recall@10 (the metric swept)");

        lines.Should().Contain(l => l.StartsWith($"Best: trial {best.Id}, validation Recall@10 {best.Recall:F4}", StringComparison.Ordinal));
        Match test = lines.Select(l => TestLine().Match(l)).Single(m => m.Success);
        double testRecall = double.Parse(test.Groups["recall"].Value, CultureInfo.InvariantCulture);
        double testNdcg = double.Parse(test.Groups["ndcg"].Value, CultureInfo.InvariantCulture);
        testRecall.Should().BeInRange(0, 1);
        testNdcg.Should().BeInRange(0, testRecall);
        test.Groups["users"].Value.Should().Be("600");
    }

    [Fact]
    public void ABudgetNoTrialCanFinishInExitsWith1AndSaysSo()
    {
        SampleRun run = SampleRun.Invoke(Sample, "1");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("without completing one").And.Contain("raise the time budget");
        run.Output.Should().NotContain("Best:");
    }

    [Theory]
    [InlineData(new[] { "soon" }, "'soon' is not a positive whole number of seconds.")]
    [InlineData(new[] { "0" }, "'0' is not a positive whole number of seconds.")]
    [InlineData(new[] { "-5" }, "'-5' is not a positive whole number of seconds.")]
    [InlineData(new[] { "10", "20" }, "One argument only (the time budget in seconds); '20' is a second.")]
    public void AWrongArgumentExitsWith2AndNamesIt(string[] arguments, string message)
    {
        SampleRun run = SampleRun.Invoke(Sample, arguments);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Split('\n')[0].Should().Be(message);
        run.Error.Should().Contain("usage: dotnet run --project samples/Sweep");
        run.Output.Should().BeEmpty();
    }

    // "*  0      0     2       Completed  0.2300     0.1116   7.9      32  ...": the best mark, id, rung, budget, status, metrics.
    [GeneratedRegex(@"^(?<best>[* ])\s+(?<id>\d+)\s+(?<rung>\d+)\s+(?<budget>\d+|-)\s+(?<status>[A-Za-z]+)\s+(?<recall>\d\.\d{4}|-)\s+(?<ndcg>\d\.\d{4}|-)\s+\d+\.\d\b")]
    private static partial Regex TrialLine();

    [GeneratedRegex(@"test Recall@10 (?<recall>\d\.\d{4}), NDCG@10 (?<ndcg>\d\.\d{4}) \((?<users>\d+) users\)\.$")]
    private static partial Regex TestLine();

    private sealed record TableRow(bool Best, int Id, string Status, double Recall, double Ndcg)
    {
        public static TableRow From(Match m) => new(
            m.Groups["best"].Value == "*",
            int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture),
            m.Groups["status"].Value,
            m.Groups["recall"].Value == "-" ? double.NaN : double.Parse(m.Groups["recall"].Value, CultureInfo.InvariantCulture),
            m.Groups["ndcg"].Value == "-" ? double.NaN : double.Parse(m.Groups["ndcg"].Value, CultureInfo.InvariantCulture));
    }
}
