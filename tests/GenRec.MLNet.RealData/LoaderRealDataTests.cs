using System.Globalization;
using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.RealData;

/// <summary>
/// Checks the loaders and transformations against the published benchmark files, using the figures the papers and
/// <c>shared/datasets/README.md</c> report.
/// </summary>
public sealed class LoaderRealDataTests
{
    [Fact]
    public void Beauty_InterJson_HasPublishedCountsAndKeepsIndices()
    {
        var beauty = AmazonJsonLoader.Load(SharedDatasets.File("beauty", "Beauty.inter.json"));

        beauty.UserCount.Should().Be(22_363);
        beauty.ItemCount.Should().Be(12_101);
        beauty.InteractionCount.Should().Be(198_502);
        // Published semantic IDs refer to these indices, so index i must still be item "i" (and user "i").
        Enumerable.Range(0, beauty.ItemCount).Should().OnlyContain(i => beauty.ItemIds[i] == i.ToString(CultureInfo.InvariantCulture));
        Enumerable.Range(0, beauty.UserCount).Should().OnlyContain(u => beauty.UserIds[u] == u.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Beauty_UserSequence_MatchesInterJson()
    {
        var raw = UserSequenceLoader.Load(SharedDatasets.File("beauty", "user_sequence.txt"));
        var indexed = AmazonJsonLoader.Load(SharedDatasets.File("beauty", "Beauty.inter.json"));

        raw.UserCount.Should().Be(22_363);
        raw.ItemCount.Should().Be(12_101);
        raw.InteractionCount.Should().Be(198_502);

        // Beauty.inter.json numbers items in order of first appearance in user_sequence.txt, so the loader's
        // first-appearance indexing reproduces it exactly: same users, same sequences, same item indices.
        var rawSequences = raw.SequencesByUser();
        var indexedSequences = indexed.OrderByTime().SequencesByUser();
        var mismatched = Enumerable.Range(0, raw.UserCount)
            .Where(u => !rawSequences[u].AsSpan().SequenceEqual(indexedSequences[u]))
            .Select(u => $"{raw.UserIds[u]} (row {u})")
            .Take(5)
            .ToList();
        mismatched.Should().BeEmpty("every user must have the same item sequence in both files");
    }

    [Fact]
    public void Beauty_LeaveOneOut_GivesOneTestCasePerUser()
    {
        var beauty = AmazonJsonLoader.Load(SharedDatasets.File("beauty", "Beauty.inter.json")).OrderByTime();

        var split = SequenceSplitter.LeaveOneOut(beauty, maxHistory: 20);

        split.TestCases.Should().HaveCount(22_363);
        split.ValidationCases.Should().HaveCount(22_363);
        split.ShortUserCount.Should().Be(0); // a 5-core: every user has at least 5 items
        split.TestCases.Should().OnlyContain(c => c.History.Length <= 20 && c.FullHistory.Length >= 4);
        split.TrainingPairs().Users.Should().HaveCount(198_502 - 2 * 22_363);
    }

    [Fact]
    public void Beauty_TokenRecSplit_CoversTheSameInteractions()
    {
        var data = LightGcnFormatLoader.Load(
            SharedDatasets.File("beauty", "tokenrec-train.txt"),
            SharedDatasets.File("beauty", "tokenrec-test.txt"));

        data.UserCount.Should().Be(22_363);
        data.ItemCount.Should().Be(12_101);
        data.CombinedInteractionCount.Should().Be(198_502);
        data.TestItems.Should().OnlyContain(t => t.Length == 1);

        // item_list.txt maps the raw ASINs to the TokenRec indices used here (not to Beauty.inter.json's indices):
        // each user's raw items, mapped through it, are exactly that user's train + test items.
        var indexOf = File.ReadLines(SharedDatasets.File("beauty", "item_list.txt")).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var raw = UserSequenceLoader.Load(SharedDatasets.File("beauty", "user_sequence.txt"));
        var rawSequences = raw.SequencesByUser();
        var trainSets = data.ToSetSplit().TrainSets;
        // Plain set comparison: a per-user FluentAssertions equivalency check takes seconds over 22k users.
        var mismatched = Enumerable.Range(0, raw.UserCount)
            .Where(u => !rawSequences[u].Select(i => indexOf[raw.ItemIds[i]]).ToHashSet().SetEquals(trainSets[u].Concat(data.TestItems[u])))
            .Select(u => raw.UserIds[u])
            .Take(5)
            .ToList();
        mismatched.Should().BeEmpty("every user must have the same items in user_sequence.txt and the TokenRec split");
    }

    /// <summary>
    /// Last.fm as split by the TokenRec authors. The published "interactions" figure (52,551) is the number of distinct
    /// (user, item) pairs over train ∪ test — equivalently the pairs on test.txt's lines, since each test line is the
    /// training line plus one held-out item: 51,461 training pairs + 1,090 held-out items.
    /// </summary>
    [Fact]
    public void LastFm_TokenRecSplit_HasPublishedCounts()
    {
        var data = LightGcnFormatLoader.Load(
            SharedDatasets.File("lastfm", "train.txt"),
            SharedDatasets.File("lastfm", "test.txt"));

        data.UserCount.Should().Be(1_090);
        data.ItemCount.Should().Be(3_646);
        data.CombinedInteractionCount.Should().Be(52_551);
        data.Train.InteractionCount.Should().Be(51_461);
        data.TestItems.Should().OnlyContain(t => t.Length == 1);

        var split = data.ToSetSplit();
        split.TrainingPairs().Users.Should().HaveCount(51_461);
        split.TestTargets.Sum(t => t.Length).Should().Be(1_090);
    }

    [Fact]
    public void MovieLensSmall_LoadsAndFiveCoreHasPublishedCounts()
    {
        var movies = MovieLensLoader.Load(SharedDatasets.Folder("ml-latest-small"));

        movies.UserCount.Should().Be(610);
        movies.InteractionCount.Should().Be(100_836);
        movies.ItemCount.Should().Be(9_724); // of the 9,742 movies in movies.csv, 9,724 are rated
        movies.ItemText![movies.ItemIds.ToList().IndexOf("1")].Should().StartWith("Toy Story (1995) | Adventure, Animation, Children, Comedy, Fantasy | ");

        var core = KCoreFilter.Apply(movies.OrderByTime(), 5);

        core.UserCount.Should().Be(610);
        core.ItemCount.Should().Be(3_650);
        core.InteractionCount.Should().Be(90_274);

        var split = SequenceSplitter.LeaveOneOut(core);
        split.TestCases.Should().HaveCount(610);
    }
}
