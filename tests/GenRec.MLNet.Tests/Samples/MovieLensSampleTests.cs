extern alias MovieLensApp;

using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using FluentAssertions;
using MovieLensApp::GenRec.Samples.MovieLens;
using Xunit;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// samples/MovieLens run as a user runs it (<c>-- FOLDER --minutes M</c>) on a tiny generated MovieLens folder: the
/// 5-core filter and split it reports, a metrics table of four models with Recall/NDCG in [0, 1], and top-10 lists
/// printed as movie titles.
/// </summary>
[Collection(SampleProgramsCollection.Name)]
public sealed partial class MovieLensSampleTests
{
    private static readonly Assembly Sample = typeof(MovieRow).Assembly;

    [Fact]
    public void ATinyFolderRunsEndToEndAndPrintsTheMetricsTableAndTitledRecommendations()
    {
        using var folder = new TinyMovieLensFolder();

        // 0.1 minutes: SASRec gets 2.4 s and the generative stage 3.6 s; the run measured ~15 s on 2 busy cores.
        SampleRun run = SampleRun.Invoke(Sample, folder.Path, "--minutes", "0.1");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain($"Loaded {folder.Path}: 61 users, 41 items, 724 interactions; 5-core: 60 users, 40 items, 720 interactions.", run.ToString());
        run.Output.Should().Contain($"Leave-last-out: {TinyMovieLensFolder.CoreUsers * (TinyMovieLensFolder.RatingsPerUser - 1)} training rows, 60 test users.");
        run.Output.Should().Contain("saved the whole pipeline").And.Contain("loaded it in a fresh MLContext");

        MetricsRow[] table = MetricsTable(run.OutputLines);
        table.Select(r => r.Model).Should().Equal("Popularity", "Co-occurrence", "SASRec", "Generative (text IDs)");
        foreach (MetricsRow row in table)
        {
            row.Users.Should().Be(60, row.Model);
            new[] { row.Recall5, row.Recall10, row.Ndcg5, row.Ndcg10 }.Should().OnlyContain(v => v >= 0 && v <= 1, row.Model);
            // One held-out movie per user: a hit in the top 5 is a hit in the top 10, and NDCG of a hit is at most 1.
            row.Recall10.Should().BeGreaterThanOrEqualTo(row.Recall5, row.Model);
            row.Ndcg5.Should().BeLessThanOrEqualTo(row.Recall5, row.Model);
            row.Ndcg10.Should().BeLessThanOrEqualTo(row.Recall10, row.Model);
        }

        string[] generative = Recommendations(run.OutputLines, "The generative model (loaded zip) recommends:");
        string[] sasRec = Recommendations(run.OutputLines, "SASRec recommends:");
        foreach (string[] top in new[] { generative, sasRec })
        {
            top.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.BeSubsetOf(folder.MovieTexts, "each recommendation is printed as its movie's title and genres");
        }

        const string heldOut = "... and next (held out): ";
        string heldOutLine = run.OutputLines.Single(line => line.StartsWith(heldOut, StringComparison.Ordinal));
        folder.MovieTexts.Should().Contain(heldOutLine[heldOut.Length..]);
    }

    [Theory]
    [InlineData("--minutes", "0")]
    [InlineData("--minutes", "soon")]
    [InlineData("--seed", "1.5")]
    [InlineData("--epochs", "3")]
    [InlineData("--minutes")]
    public void AWrongArgumentExitsWith2AndNamesIt(params string[] arguments)
    {
        using var folder = new TinyMovieLensFolder();

        SampleRun run = SampleRun.Invoke(Sample, [folder.Path, .. arguments]);

        run.ExitCode.Should().Be(2, run.ToString());
        string firstLine = run.Error.Split('\n')[0];
        firstLine.Should().Contain(arguments[0], "the message names the option");
        if (arguments.Length > 1 && arguments[0] != "--epochs")
        {
            firstLine.Should().Contain($"'{arguments[1]}'", "the message quotes the bad value");
        }

        run.Error.Should().Contain("usage: dotnet run --project samples/MovieLens");
        run.Output.Should().BeEmpty("nothing runs after a wrong argument");
    }

    [Fact]
    public void ASecondFolderIsAWrongArgument()
    {
        SampleRun run = SampleRun.Invoke(Sample, "first-folder", "second-folder");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("'second-folder' is a second");
    }

    [Fact]
    public void AFolderWithoutTheCsvFilesExitsWith1AndSaysWhichFileIsMissing()
    {
        string empty = Path.Combine(Path.GetTempPath(), $"genrec-empty-movielens-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        try
        {
            SampleRun run = SampleRun.Invoke(Sample, empty, "--minutes", "0.1");

            run.ExitCode.Should().Be(1, run.ToString());
            run.Error.Should().StartWith("Cannot read the MovieLens folder").And.Contain("ratings.csv");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    /// <summary>The rows of the "Test metrics" table: model, Recall@5, Recall@10, NDCG@5, NDCG@10, users.</summary>
    private static MetricsRow[] MetricsTable(string[] lines)
    {
        int header = Array.FindIndex(lines, l => l.TrimStart().StartsWith("Model", StringComparison.Ordinal));
        header.Should().BePositive("the metrics table is printed");
        lines[header].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("Model", "Recall@5", "Recall@10", "NDCG@5", "NDCG@10", "users");
        return
        [
            .. lines.Skip(header + 1).Select(l => MetricsLine().Match(l)).TakeWhile(m => m.Success).Select(m => new MetricsRow(
                m.Groups["model"].Value,
                Number(m.Groups["r5"]), Number(m.Groups["r10"]), Number(m.Groups["n5"]), Number(m.Groups["n10"]),
                int.Parse(m.Groups["users"].Value, CultureInfo.InvariantCulture))),
        ];
    }

    /// <summary>The ten lines after <paramref name="heading"/> ("   1. Title | Genres"), without the rank.</summary>
    private static string[] Recommendations(string[] lines, string heading)
    {
        int start = Array.IndexOf(lines, heading);
        start.Should().BePositive($"'{heading}' is printed");
        return [.. lines.Skip(start + 1).Select(l => RankedLine().Match(l)).TakeWhile(m => m.Success).Select(m => m.Groups["text"].Value)];
    }

    private static double Number(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^  (?<model>\S.*?)\s+(?<r5>\d\.\d{4})\s+(?<r10>\d\.\d{4})\s+(?<n5>\d\.\d{4})\s+(?<n10>\d\.\d{4})\s+(?<users>\d+)$")]
    private static partial Regex MetricsLine();

    // The held-out marker is not part of the title.
    [GeneratedRegex(@"^\s+\d+\. (?<text>.+?)(   <- the held-out movie)?$")]
    private static partial Regex RankedLine();

    private sealed record MetricsRow(string Model, double Recall5, double Recall10, double Ndcg5, double Ndcg10, int Users);
}
