using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Evaluation;

public sealed class ScoredDataEvaluatorTests
{
    private const double Tolerance = 1e-12;
    private readonly MLContext _ml = new(seed: 1);

    /// <summary>A scored row as key values (1-based, 0 = unknown); see <see cref="Scored"/> for how they become columns.</summary>
    private sealed record ScoredRow(uint User, uint Label, uint[] Recommended);

    private sealed class KeyRow
    {
        public uint UserId { get; set; }

        public uint ItemId { get; set; }

        public uint[] RecommendedItems { get; set; } = [];
    }

    private sealed class PlainRow
    {
        public string UserId { get; set; } = "";

        public uint ItemId { get; set; }

        public uint[] RecommendedItems { get; set; } = [];
    }

    /// <summary>
    /// The rows as a view. Key-typed: user and label are UInt32 keys and the recommendations a vector of UInt32 keys
    /// (LoadFromEnumerable exposes a scalar key member as value + 1 but a vector key member as is, hence the − 1).
    /// Plain: text users, UInt32 labels and a UInt32 vector, all holding the key values. A list length of 0 makes the
    /// recommendations a variable-size vector.
    /// </summary>
    private IDataView Scored(bool keyTyped, IEnumerable<ScoredRow> rows, ulong itemCount = 10, ulong? recommendedItemCount = null, int listLength = 0)
    {
        if (!keyTyped)
        {
            var plainSchema = SchemaDefinition.Create(typeof(PlainRow));
            plainSchema[nameof(PlainRow.RecommendedItems)].ColumnType = new VectorDataViewType(NumberDataViewType.UInt32, listLength);
            return _ml.Data.LoadFromEnumerable(
                rows.Select(r => new PlainRow { UserId = "user" + r.User, ItemId = r.Label, RecommendedItems = r.Recommended }).ToArray(), plainSchema);
        }

        var schema = SchemaDefinition.Create(typeof(KeyRow));
        schema[nameof(KeyRow.UserId)].ColumnType = new KeyDataViewType(typeof(uint), 1000);
        schema[nameof(KeyRow.ItemId)].ColumnType = new KeyDataViewType(typeof(uint), itemCount);
        schema[nameof(KeyRow.RecommendedItems)].ColumnType =
            new VectorDataViewType(new KeyDataViewType(typeof(uint), recommendedItemCount ?? itemCount), listLength);
        var view = _ml.Data.LoadFromEnumerable(
            rows.Select(r => new KeyRow { UserId = r.User - 1, ItemId = r.Label - 1, RecommendedItems = r.Recommended }).ToArray(), schema);
        return view;
    }

    // User 1: labels {3, 7}, list 3 5 7 1 2 (hits at ranks 1 and 3); a later row of user 1 has another list, ignored.
    // User 2: labels {unknown (0), 4}, list 4 6 8 10 2 (hit at rank 1; the unknown label can never be hit).
    // User 3: label 9, list 1 2 3 4 9 (hit at rank 5).
    private static ScoredRow[] HandCase() =>
    [
        new(1, 3, [3, 5, 7, 1, 2]),
        new(2, 0, [4, 6, 8, 10, 2]),
        new(1, 7, [7, 3, 1, 2, 4]),
        new(3, 9, [1, 2, 3, 4, 9]),
        new(2, 4, [1, 2, 3, 5, 6]),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HandComputedCase(bool keyTyped)
    {
        // In the key-typed view the unknown label is stored as 0 − 1 (uint wrap-around), which LoadFromEnumerable's
        // + 1 turns back into key 0; the read-back below makes sure both views really hold these keys.
        var data = Scored(keyTyped, HandCase());
        data.GetColumn<uint>("ItemId").Should().Equal(3u, 0u, 7u, 9u, 4u);

        var metrics = _ml.GenerativeRecommendation().Evaluate(data, ks: [5, 1, 3]);

        double log3 = Math.Log2(3), log6 = Math.Log2(6);
        metrics.Ks.Should().Equal(1, 3, 5);
        metrics.UserCount.Should().Be(3);
        metrics.RowCount.Should().Be(5);
        metrics.UnknownLabelCount.Should().Be(1);
        metrics.Recall(1).Should().BeApproximately((0.5 + 0.5 + 0) / 3, Tolerance);
        metrics.Recall(3).Should().BeApproximately((1 + 0.5 + 0) / 3, Tolerance);
        metrics.Recall(5).Should().BeApproximately((1 + 0.5 + 1) / 3, Tolerance);
        metrics.HitRate(1).Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.HitRate(5).Should().BeApproximately(1.0, Tolerance);
        metrics.Ndcg(1).Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.Ndcg(5).Should().BeApproximately(((1.5 / (1 + (1 / log3))) + (1 / (1 + (1 / log3))) + (1 / log6)) / 3, Tolerance);
        metrics.Mrr(3).Should().BeApproximately(2.0 / 3, Tolerance);
        metrics.Mrr(5).Should().BeApproximately((1 + 1 + 0.2) / 3, Tolerance);
        metrics.Table[MetricNames.Recall, 5].Should().Be(metrics.Recall(5));
        metrics.Invoking(m => m.Recall(10)).Should().Throw<KeyNotFoundException>();
        metrics.ToString().Should().Contain("(3 users)").And.Contain("1 labels were unknown");
    }

    [Fact]
    public void DefaultKsAre5_10_20()
    {
        var metrics = _ml.GenerativeRecommendation().Evaluate(Scored(true, HandCase()));
        metrics.Ks.Should().Equal(5, 10, 20);
        metrics.Recall(20).Should().BeApproximately(2.5 / 3, Tolerance);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EqualsRecommenderEvaluatorOnRandomCases(bool keyTyped)
    {
        const int ItemCount = 30, ListLength = 20;
        var random = new Random(11);
        var lists = new Dictionary<int, int[]>();
        var cases = new List<EvaluationCase>();
        var rows = new List<ScoredRow>();
        for (int u = 0; u < 40; u++)
        {
            int[] list = [.. Enumerable.Range(0, ItemCount).OrderBy(_ => random.Next()).Take(ListLength)];
            int[] targets = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(ItemCount))];
            lists[u] = list;
            cases.Add(new EvaluationCase(u, [], targets));
            rows.AddRange(targets.Select(t => new ScoredRow((uint)u + 1, (uint)t + 1, [.. list.Select(i => (uint)i + 1)])));
        }

        var recommender = new FakeRecommender(ItemCount, (request, k) => lists[request.UserIndex][..k]);
        int[] ks = [1, 5, 10, 20];
        var expected = RecommenderEvaluator.Evaluate(recommender, cases, ks, excludeHistory: false);

        // Rows shuffled: a user's rows need not be adjacent.
        var data = Scored(keyTyped, rows.OrderBy(_ => random.Next()), ItemCount, listLength: ListLength);
        var actual = _ml.GenerativeRecommendation().Evaluate(data, ks: ks);

        actual.UserCount.Should().Be(expected.CaseCount);
        actual.Table.All().Select(c => (c.Metric, c.K)).Should().Equal(expected.All().Select(c => (c.Metric, c.K)));
        actual.Table.All().Zip(expected.All()).Should().OnlyContain(pair => Math.Abs(pair.First.Value - pair.Second.Value) < Tolerance);
        expected["Recall", 5].Should().BeInRange(0.05, 0.95, "the case must not be trivial");
    }

    [Fact]
    public void LeaveOneOutSplitThenEvaluate_EqualsTheExistingPipeline()
    {
        // 25 users with 2..9 events over 15 items, in time order.
        var random = new Random(3);
        var users = new List<int>();
        var items = new List<int>();
        for (int u = 0; u < 25; u++)
        {
            for (int e = random.Next(2, 10); e > 0; e--)
            {
                users.Add(u);
                items.Add(random.Next(15));
            }
        }

        var dataset = new InteractionDataset(
            [.. Enumerable.Range(0, 25).Select(u => "u" + u)], [.. Enumerable.Range(0, 15).Select(i => "i" + i)], [.. users], [.. items]);
        var reference = SequenceSplitter.LeaveOneOut(dataset, maxHistory: 0);
        var recommender = new CoOccurrenceRecommender(reference.TrainDataset(includeValidation: true));
        var expected = RecommenderEvaluator.Evaluate(
            recommender, [.. reference.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.History, [c.Target]))], [1, 5, 10], excludeHistory: false);

        // The same through views: split, then "score" each test row with the recommender on the user's history.
        var split = _ml.GenerativeRecommendation().LeaveOneOutSplit(dataset.ToDataView(_ml));
        var history = reference.TestCases.ToDictionary(c => c.UserIndex, c => c.History);
        var testUsers = split.Test.GetColumn<uint>("UserId").ToArray();
        var testItems = split.Test.GetColumn<uint>("ItemId").ToArray();
        var scoredRows = testUsers.Zip(testItems, (user, item) =>
        {
            int[] list = recommender.Recommend([new RecommendationRequest((int)user - 1, history[(int)user - 1])], 10, excludeHistory: false)[0];
            return new ScoredRow(user, item, [.. list.Select(i => (uint)i + 1)]);
        });
        var actual = _ml.GenerativeRecommendation().Evaluate(Scored(true, scoredRows, 15, listLength: 10), ks: [1, 5, 10]);

        actual.UserCount.Should().Be(expected.CaseCount);
        // Zip stops at the shorter side, so the cells are compared by name first: an empty table must not pass.
        actual.Table.All().Select(c => (c.Metric, c.K)).Should().Equal(expected.All().Select(c => (c.Metric, c.K))).And.NotBeEmpty();
        actual.Table.All().Zip(expected.All()).Should().OnlyContain(pair => Math.Abs(pair.First.Value - pair.Second.Value) < Tolerance);
        expected["HR", 10].Should().BeGreaterThan(0);
    }

    [Fact]
    public void ZeroInsideAListHoldsItsPosition()
    {
        // The hit on item 2 is at rank 3 whatever the 0 before it means.
        var data = Scored(false, [new ScoredRow(1, 2, [5, 0, 2, 0, 0])]);
        _ml.GenerativeRecommendation().Evaluate(data, ks: [3]).Mrr(3).Should().BeApproximately(1.0 / 3, Tolerance);
    }

    private sealed class TextRow
    {
        public string UserId { get; set; } = "";

        public string ItemId { get; set; } = "";

        public float[] RecommendedItems { get; set; } = [];

        public uint Single { get; set; }
    }

    [Fact]
    public void Errors_NameTheColumn()
    {
        var catalog = _ml.GenerativeRecommendation();
        var keyed = Scored(true, HandCase());
        var schema = SchemaDefinition.Create(typeof(TextRow));
        schema[nameof(TextRow.RecommendedItems)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        var text = _ml.Data.LoadFromEnumerable(new[] { new TextRow { UserId = "a", ItemId = "x", RecommendedItems = [1, 2] } }, schema);

        catalog.Invoking(c => c.Evaluate(keyed, userColumnName: "Customer"))
            .Should().Throw<ArgumentException>().WithMessage("*user column 'Customer'*").Which.ParamName.Should().Be("userColumnName");
        catalog.Invoking(c => c.Evaluate(keyed, labelColumnName: "Target"))
            .Should().Throw<ArgumentException>().WithMessage("*label item column 'Target'*").Which.ParamName.Should().Be("labelColumnName");
        catalog.Invoking(c => c.Evaluate(keyed, recommendedItemsColumnName: "TopK"))
            .Should().Throw<ArgumentException>().WithMessage("*recommendations column 'TopK'*").Which.ParamName.Should().Be("recommendedItemsColumnName");
        catalog.Invoking(c => c.Evaluate(text))
            .Should().Throw<ArgumentException>().WithMessage("The label item column 'ItemId' must hold item keys*");
        catalog.Invoking(c => c.Evaluate(text, labelColumnName: "Single"))
            .Should().Throw<ArgumentException>().WithMessage("The recommendations column 'RecommendedItems' must be a vector of UInt32 item keys*");
        catalog.Invoking(c => c.Evaluate(text, labelColumnName: "Single", recommendedItemsColumnName: "Single"))
            .Should().Throw<ArgumentException>().WithMessage("The recommendations column 'Single' must be a vector*");
        catalog.Invoking(c => c.Evaluate(keyed, ks: [5, 0]))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Errors_KeyCountMismatchNamesBothColumns()
    {
        var data = Scored(true, HandCase(), itemCount: 10, recommendedItemCount: 12);

        var act = () => _ml.GenerativeRecommendation().Evaluate(data);

        act.Should().Throw<ArgumentException>().WithMessage("*'ItemId' has 10 keys but the recommendations column 'RecommendedItems' has 12*");
    }

    private sealed class IdRow
    {
        public uint UserId { get; set; }

        public string Item { get; set; } = "";

        public string[] Recommended { get; set; } = [];
    }

    [Fact]
    public void Errors_DifferentKeyValuesNameBothColumns()
    {
        // Two MapValueToKey fits that see the items in different orders: equal counts, different mappings.
        var rows = new[]
        {
            new IdRow { UserId = 1, Item = "x", Recommended = ["y", "x"] },
            new IdRow { UserId = 2, Item = "y", Recommended = ["x", "y"] },
        };
        var schema = SchemaDefinition.Create(typeof(IdRow));
        schema[nameof(IdRow.Recommended)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, 2);
        var raw = _ml.Data.LoadFromEnumerable(rows, schema);
        var keyed = _ml.Transforms.Conversion.MapValueToKey("ItemId", "Item")
            .Append(_ml.Transforms.Conversion.MapValueToKey("RecommendedItems", "Recommended"))
            .Fit(raw).Transform(raw);

        var act = () => _ml.GenerativeRecommendation().Evaluate(keyed);

        act.Should().Throw<ArgumentException>()
            .WithMessage("*'ItemId' and the recommendations column 'RecommendedItems' use different key mappings: key 1 is 'x' in 'ItemId' but 'y'*");
    }

    [Fact]
    public void Errors_MissingUserKeyAndEmptyData()
    {
        var catalog = _ml.GenerativeRecommendation();
        var missingUser = Scored(true, [new ScoredRow(1, 2, [1, 2, 3, 4, 5]), new ScoredRow(0, 2, [1, 2, 3, 4, 5])]);
        catalog.Invoking(c => c.Evaluate(missingUser))
            .Should().Throw<ArgumentException>().WithMessage("Row 1 has a missing key (0) in the user column 'UserId'*");

        catalog.Invoking(c => c.Evaluate(Scored(true, [])))
            .Should().Throw<ArgumentException>().WithMessage("*no rows*");
    }
}
