using FluentAssertions;
using GenRec.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class InteractionSplitterTests
{
    private readonly MLContext _ml = new(seed: 1);

    // 30 users with 0..8 events over 50 items, timestamps drawn from a small range (many ties), rows in random order.
    private static InteractionDataset RandomDataset(int seed, bool withTimestamps)
    {
        var random = new Random(seed);
        var users = new List<int>();
        var items = new List<int>();
        for (int u = 0; u < 30; u++)
        {
            int count = random.Next(0, 9);
            for (int e = 0; e < count; e++)
            {
                users.Add(u);
                items.Add(random.Next(50));
            }
        }

        int[] order = [.. Enumerable.Range(0, users.Count).OrderBy(_ => random.Next())];
        return new InteractionDataset(
            [.. Enumerable.Range(0, 30).Select(u => "u" + u)],
            [.. Enumerable.Range(0, 50).Select(i => "i" + i)],
            [.. order.Select(i => users[i])],
            [.. order.Select(i => items[i])],
            withTimestamps ? [.. order.Select(_ => (long)random.Next(5))] : null);
    }

    /// <summary>Per user index (key − 1), the item indices of the view's rows, in row order.</summary>
    private static Dictionary<int, List<int>> ItemsByUser(IDataView view)
    {
        var users = view.GetColumn<uint>(InteractionDataViews.UserIdColumn).ToArray();
        var items = view.GetColumn<uint>(InteractionDataViews.ItemIdColumn).ToArray();
        var byUser = new Dictionary<int, List<int>>();
        for (int r = 0; r < users.Length; r++)
        {
            int u = (int)users[r] - 1;
            if (!byUser.TryGetValue(u, out var list))
            {
                byUser[u] = list = [];
            }

            list.Add((int)items[r] - 1);
        }

        return byUser;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LeaveOneOut_EqualsSequenceSplitterOnTheSameData(bool withTimestamps)
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var dataset = RandomDataset(seed, withTimestamps);
            var view = dataset.ToDataView(_ml);
            var reference = SequenceSplitter.LeaveOneOut(withTimestamps ? dataset.OrderByTime() : dataset);

            var split = _ml.GenerativeRecommendation().LeaveOneOutSplit(view, timestampColumnName: withTimestamps ? "Timestamp" : null);

            // Train: the same sequences per user once put in time order (the view keeps input row order).
            var train = InteractionDataViews.ToInteractionDataset(split.Train, timestampColumn: withTimestamps ? "Timestamp" : null);
            var trainSequences = (withTimestamps ? train.OrderByTime() : train).SequencesByUser();
            trainSequences.Should().BeEquivalentTo(reference.TrainSequences, options => options.WithStrictOrdering());

            var validation = ItemsByUser(split.Validation);
            validation.Should().OnlyContain(pair => pair.Value.Count == 1);
            validation.ToDictionary(p => p.Key, p => p.Value[0]).Should().Equal(reference.ValidationCases.ToDictionary(c => c.UserIndex, c => c.Target));

            var test = ItemsByUser(split.Test);
            test.Should().OnlyContain(pair => pair.Value.Count == 1);
            test.ToDictionary(p => p.Key, p => p.Value[0]).Should().Equal(reference.TestCases.ToDictionary(c => c.UserIndex, c => c.Target));

            split.SplitUserCount.Should().Be(reference.TestCases.Count);
            split.UserCount.Should().Be(dataset.UserIndices.Distinct().Count());
            (split.Train.GetRowCount() + split.Validation.GetRowCount() + split.Test.GetRowCount()).Should().Be(dataset.InteractionCount);
        }
    }

    private sealed class RawRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public long Time { get; set; }

        public float Rating { get; set; }

        public string Note { get; set; } = "";
    }

    // "a": 5 rows whose time order (n1 n4 n0 n3 n6) differs from row order, two of them at the same time;
    // "b": 2 rows (too short to split with validation); "c": 1 row.
    private IDataView RawExample() => _ml.Data.LoadFromEnumerable(new[]
    {
        new RawRow { User = "a", Item = "x", Time = 30, Rating = 1.5f, Note = "n0" },
        new RawRow { User = "a", Item = "y", Time = 10, Rating = 2.5f, Note = "n1" },
        new RawRow { User = "b", Item = "x", Time = 50, Rating = 3.5f, Note = "n2" },
        new RawRow { User = "a", Item = "z", Time = 40, Rating = 4.5f, Note = "n3" },
        new RawRow { User = "a", Item = "w", Time = 20, Rating = 5.5f, Note = "n4" },
        new RawRow { User = "b", Item = "y", Time = 5, Rating = 6.5f, Note = "n5" },
        new RawRow { User = "a", Item = "v", Time = 40, Rating = 7.5f, Note = "n6" },
        new RawRow { User = "c", Item = "v", Time = 1, Rating = 8.5f, Note = "n7" },
    });

    private static string[] Notes(IDataView view) => [.. view.GetColumn<string>(nameof(RawRow.Note))];

    [Fact]
    public void LeaveOneOut_RawColumns_OrdersByTimeThenRowAndCarriesEveryColumn()
    {
        var data = RawExample();

        var split = _ml.GenerativeRecommendation().LeaveOneOutSplit(data, "User", "Item", "Time");

        // a's sequence is n1 n4 n0 n3 n6 (n3 and n6 tie at 40; row order puts n3 first).
        Notes(split.Test).Should().Equal("n6");
        Notes(split.Validation).Should().Equal("n3");
        Notes(split.Train).Should().Equal("n0", "n1", "n2", "n4", "n5", "n7");
        split.Train.GetColumn<float>(nameof(RawRow.Rating)).Should().Equal(1.5f, 2.5f, 3.5f, 5.5f, 6.5f, 8.5f);
        split.Test.GetColumn<string>("Item").Should().Equal("v");
        split.Train.Schema.Should().BeSameAs(data.Schema);
        split.Test.Schema.Should().BeSameAs(data.Schema);
        split.UserCount.Should().Be(3);
        split.SplitUserCount.Should().Be(1);
        split.Test.GetRowCount().Should().Be(1);
    }

    [Fact]
    public void LeaveOneOut_WithoutValidation_SplitsUsersWithTwoRowsAndLeavesValidationEmpty()
    {
        var split = _ml.GenerativeRecommendation().LeaveOneOutSplit(RawExample(), "User", "Item", "Time", withValidation: false);

        Notes(split.Test).Should().Equal("n2", "n6"); // b's latest is n2 (time 50)
        Notes(split.Validation).Should().BeEmpty();
        split.Validation.GetRowCount().Should().Be(0);
        split.Validation.Schema.Should().BeSameAs(split.Train.Schema);
        Notes(split.Train).Should().Equal("n0", "n1", "n3", "n4", "n5", "n7");
        split.SplitUserCount.Should().Be(2);
    }

    [Fact]
    public void LeaveOneOut_WithoutTimestamps_UsesRowOrder()
    {
        var split = _ml.GenerativeRecommendation().LeaveOneOutSplit(RawExample(), "User", "Item");

        Notes(split.Test).Should().Equal("n6");
        Notes(split.Validation).Should().Equal("n4");
    }

    [Fact]
    public void Views_KeepKeyValuesAndCanBeReadAgain()
    {
        var view = RandomDataset(7, withTimestamps: true).ToDataView(_ml);
        var split = _ml.GenerativeRecommendation().LeaveOneOutSplit(view, timestampColumnName: "Timestamp");

        var first = split.Test.GetColumn<uint>("ItemId").ToArray();
        split.Test.GetColumn<uint>("ItemId").Should().Equal(first);
        first.Length.Should().Be((int)split.Test.GetRowCount()!.Value);

        var ids = _ml.Transforms.Conversion.MapKeyToValue("ItemText", "ItemId").Fit(split.Test).Transform(split.Test).GetColumn<string>("ItemText");
        ids.Should().Equal(first.Select(key => "i" + (key - 1)));
    }

    private IDataView Sequences(params int[] rowsPerUser)
    {
        var rows = new List<RawRow>();
        for (int u = 0; u < rowsPerUser.Length; u++)
        {
            for (int e = 0; e < rowsPerUser[u]; e++)
            {
                // Times descend with row order, so chronological order is the reverse of row order.
                rows.Add(new RawRow { User = "u" + u, Item = "i" + e, Time = 100 - e, Note = $"{u}:{e}" });
            }
        }

        return _ml.Data.LoadFromEnumerable(rows);
    }

    [Fact]
    public void Ratio_Chronological_HoldsOutTheLatestFractionPerUser()
    {
        // 10 rows: 2 test, 1 validation; 3 rows: 1 + 1 (minimum one each), 1 train; 2 rows: cannot keep a training row.
        var split = _ml.GenerativeRecommendation().TrainTestSplit(Sequences(10, 3, 2), 0.2, 0.1, "User", "Item", "Time");

        Notes(split.Test).Should().Equal("0:0", "0:1", "1:0");
        Notes(split.Validation).Should().Equal("0:2", "1:1");
        Notes(split.Train).Should().Equal("0:3", "0:4", "0:5", "0:6", "0:7", "0:8", "0:9", "1:2", "2:0", "2:1");
        split.SplitUserCount.Should().Be(2);
        split.UserCount.Should().Be(3);
    }

    [Fact]
    public void Ratio_WithoutValidation_SplitsTwoRowUsersAndKeepsSingleRowUsers()
    {
        var split = _ml.GenerativeRecommendation().TrainTestSplit(Sequences(2, 1, 7), testFraction: 0.3, userColumnName: "User", itemColumnName: "Item", timestampColumnName: "Time");

        // 7 · 0.3 = 2.1 → 2 rows.
        Notes(split.Test).Should().Equal("0:0", "2:0", "2:1");
        Notes(split.Validation).Should().BeEmpty();
        Notes(split.Train).Should().Equal("0:1", "1:0", "2:2", "2:3", "2:4", "2:5", "2:6");
    }

    [Fact]
    public void Ratio_Shuffled_IsReproduciblePartitionsEachUserAndKeepsTheCounts()
    {
        var data = Sequences([.. Enumerable.Repeat(10, 20)]);
        var catalog = _ml.GenerativeRecommendation();

        var a = catalog.TrainTestSplit(data, 0.3, 0.2, "User", "Item", "Time", shuffle: true, seed: 5);
        var b = catalog.TrainTestSplit(data, 0.3, 0.2, "User", "Item", "Time", shuffle: true, seed: 5);
        var c = catalog.TrainTestSplit(data, 0.3, 0.2, "User", "Item", "Time", shuffle: true, seed: 6);
        var chronological = catalog.TrainTestSplit(data, 0.3, 0.2, "User", "Item", "Time");

        Notes(b.Test).Should().Equal(Notes(a.Test));
        Notes(b.Validation).Should().Equal(Notes(a.Validation));
        Notes(c.Test).Should().NotEqual(Notes(a.Test));
        Notes(a.Test).Should().NotEqual(Notes(chronological.Test));
        Notes(a.Train).Concat(Notes(a.Validation)).Concat(Notes(a.Test)).Should().BeEquivalentTo(Notes(data));
        foreach (var split in new[] { a, c })
        {
            Notes(split.Test).GroupBy(n => n.Split(':')[0]).Should().HaveCount(20).And.OnlyContain(g => g.Count() == 3);
            Notes(split.Validation).GroupBy(n => n.Split(':')[0]).Should().HaveCount(20).And.OnlyContain(g => g.Count() == 2);
        }
    }

    [Fact]
    public void Ratio_ShuffledWithoutSeed_FollowsTheContextSeed()
    {
        var data = Sequences([.. Enumerable.Repeat(10, 20)]);

        string[] TestNotes(int contextSeed) => Notes(new MLContext(contextSeed).GenerativeRecommendation()
            .TrainTestSplit(data, userColumnName: "User", itemColumnName: "Item", shuffle: true).Test);

        TestNotes(3).Should().Equal(TestNotes(3));
        TestNotes(3).Should().NotEqual(TestNotes(4));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.2, -0.1)]
    public void Ratio_RejectsFractionsOutOfRange(double test, double validation)
    {
        var act = () => _ml.GenerativeRecommendation().TrainTestSplit(Sequences(3), test, validation, "User", "Item");
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private sealed class VectorUserRow
    {
        [VectorType(2)]
        public float[] User { get; set; } = [0, 0];

        public string Item { get; set; } = "";

        public string Time { get; set; } = "";
    }

    [Fact]
    public void Errors_NameTheColumn()
    {
        var catalog = _ml.GenerativeRecommendation();
        var raw = RawExample();
        var vectorUsers = _ml.Data.LoadFromEnumerable(new[] { new VectorUserRow() });

        catalog.Invoking(c => c.LeaveOneOutSplit(raw, "Customer", "Item"))
            .Should().Throw<ArgumentException>().WithMessage("*user column 'Customer'*").Which.ParamName.Should().Be("userColumnName");
        catalog.Invoking(c => c.LeaveOneOutSplit(raw, "User", "Product"))
            .Should().Throw<ArgumentException>().WithMessage("*item column 'Product'*").Which.ParamName.Should().Be("itemColumnName");
        catalog.Invoking(c => c.LeaveOneOutSplit(raw, "User", "Item", "When"))
            .Should().Throw<ArgumentException>().WithMessage("*timestamp column 'When'*").Which.ParamName.Should().Be("timestampColumnName");
        catalog.Invoking(c => c.LeaveOneOutSplit(raw, "User", "Item", "Note"))
            .Should().Throw<ArgumentException>().WithMessage("*timestamp column 'Note'*String*");
        catalog.Invoking(c => c.TrainTestSplit(vectorUsers, userColumnName: "User", itemColumnName: "Item"))
            .Should().Throw<ArgumentException>().WithMessage("*user column 'User' must be a scalar*");
    }

    [Fact]
    public void Errors_MissingUserKeyNamesTheRowAndColumn()
    {
        // MapValueToKey trained on user "a" only: b and c get key 0.
        var raw = RawExample();
        var onlyA = _ml.Data.FilterByCustomPredicate<RawRow>(raw, row => row.User != "a");
        var keyed = _ml.Transforms.Conversion.MapValueToKey("UserKey", "User").Fit(onlyA).Transform(raw);

        var act = () => _ml.GenerativeRecommendation().LeaveOneOutSplit(keyed, "UserKey", "Item");

        act.Should().Throw<ArgumentException>().WithMessage("Row 2 has a missing key (0) in the user column 'UserKey'*");
    }
}
