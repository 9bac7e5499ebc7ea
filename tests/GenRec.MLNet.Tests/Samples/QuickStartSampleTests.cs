extern alias QuickStartApp;

using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using FluentAssertions;
using GenRec.MLNet.Synthetic;
using Microsoft.ML;
using QuickStartApp::GenRec.Samples.QuickStart;
using Xunit;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// samples/QuickStart run as a user runs it (<c>-- OUTPUT_FOLDER --users N --items N</c>): what it writes (a model zip
/// that another MLContext loads and serves, the titles file) and that what it prints is that zip's answer.
/// </summary>
[Collection(SampleProgramsCollection.Name)]
public sealed partial class QuickStartSampleTests : IDisposable
{
    private static readonly Assembly Sample = typeof(ShopRow).Assembly;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"genrec-quickstart-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ASmallShopIsFittedSavedAndServedFromTheZipItWrites()
    {
        SampleRun run = SampleRun.Invoke(Sample, _folder, "--users", "200", "--items", "100");

        run.ExitCode.Should().Be(0, run.ToString());
        run.OutputLines[0].Should().StartWith("Generated shop: 200 users, 100 items,");

        // items.tsv: a header, then every item of the generated shop with its title, in the shop's order.
        SyntheticCatalog shop = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 200, ItemCount = 100 });
        string[] titleLines = File.ReadAllLines(Path.Combine(_folder, "items.tsv"));
        titleLines.Should().Equal(["Item\tTitle", .. shop.Dataset.ItemIds.Select((id, i) => $"{id}\t{shop.ItemTitles[i]}")]);
        Dictionary<string, string> titles = shop.Dataset.ItemIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => shop.ItemTitles[p.i]);

        // model.zip, loaded as another process would: a fresh MLContext and the sample's row classes.
        var serving = new MLContext(seed: 11);
        ITransformer model = serving.Model.Load(Path.Combine(_folder, "model.zip"), out _);
        using var engine = serving.Model.CreatePredictionEngine<ShopRow, ShopRecommendation>(model);
        string user = shop.Dataset.UserIds[0];
        ShopRecommendation forUser = engine.Predict(new ShopRow { User = user });
        forUser.RecommendedItemIds.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.BeSubsetOf(shop.Dataset.ItemIds);
        forUser.Scores.Should().HaveCount(10).And.BeInDescendingOrder();

        // What the sample printed is that zip's answer, item by item, with each item's title.
        Ranked[] printed = Top10(run.OutputLines, $"Top 10 for {user} (from the loaded zip):");
        printed.Select(r => r.Item).Should().Equal(forUser.RecommendedItemIds);
        printed.Should().OnlyContain(r => r.Title == titles[r.Item]);
        printed.Select(r => r.Score).Should().Equal(forUser.Scores.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)));

        // The anonymous visit: the history named in the heading, served by the zip, printed as served.
        string visitHeading = run.OutputLines.Single(l => l.StartsWith("Top 10 after a visit to ", StringComparison.Ordinal));
        string[] visit = visitHeading["Top 10 after a visit to ".Length..visitHeading.IndexOf(" (a history", StringComparison.Ordinal)].Split(", ");
        visit.Should().HaveCount(3).And.BeSubsetOf(shop.Dataset.ItemIds);
        ShopRecommendation forVisit = engine.Predict(new ShopRow { History = visit });
        forVisit.RecommendedItemIds.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.BeSubsetOf(shop.Dataset.ItemIds);
        Top10(run.OutputLines, visitHeading).Select(r => r.Item).Should().Equal(forVisit.RecommendedItemIds);
    }

    [Theory]
    [InlineData("--users", "ten", "--users needs a whole number of at least 10, not 'ten'.")]
    [InlineData("--users", "5", "--users needs a whole number of at least 10, not '5'.")]
    [InlineData("--items", "20", "--items needs a whole number of at least 32, not '20'.")]
    [InlineData("--items", "-100", "--items needs a whole number of at least 32, not '-100'.")]
    [InlineData("--epochs", "3", "Unknown option '--epochs'.")]
    [InlineData("second-folder", null, "One output folder only; 'second-folder' is a second.")]
    [InlineData("--users", null, "--users needs a value.")]
    public void AWrongArgumentExitsWith2AndNamesIt(string argument, string? value, string message)
    {
        SampleRun run = SampleRun.Invoke(Sample, value is null ? [_folder, argument] : [_folder, argument, value]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Split('\n')[0].Should().Be(message);
        run.Error.Should().Contain("usage: dotnet run --project samples/QuickStart");
        run.Output.Should().BeEmpty();
        Directory.Exists(_folder).Should().BeFalse("nothing is written after a wrong argument");
    }

    [Fact]
    public void AnOutputFolderThatIsAFileIsAWrongArgument()
    {
        string file = Path.GetTempFileName();
        try
        {
            SampleRun run = SampleRun.Invoke(Sample, file, "--users", "200", "--items", "100");

            run.ExitCode.Should().Be(2, run.ToString());
            run.Error.Should().StartWith($"The output folder '{file}' is a file.");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The ten lines after <paramref name="heading"/>: "  rank. ITEM  TITLE  score S".</summary>
    private static Ranked[] Top10(string[] lines, string heading)
    {
        int start = Array.IndexOf(lines, heading);
        start.Should().BePositive($"'{heading}' is printed");
        Ranked[] ranked =
        [
            .. lines.Skip(start + 1).Select(l => RankedLine().Match(l)).TakeWhile(m => m.Success)
                .Select(m => new Ranked(int.Parse(m.Groups["rank"].Value, CultureInfo.InvariantCulture), m.Groups["item"].Value, m.Groups["title"].Value, m.Groups["score"].Value)),
        ];
        ranked.Select(r => r.Rank).Should().Equal(Enumerable.Range(1, 10));
        return ranked;
    }

    [GeneratedRegex(@"^\s+(?<rank>\d+)\. (?<item>\S+)\s+(?<title>.+?)\s+score (?<score>-?\d+\.\d{3})$")]
    private static partial Regex RankedLine();

    private sealed record Ranked(int Rank, string Item, string Title, string Score);
}
