using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Synthetic;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Collaborative;

public sealed class CollaborativeEmbeddingEstimatorTests
{
    private static readonly SyntheticCatalog Catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 400, ItemCount = 150, Seed = 3 });

    private static CollaborativeEmbeddingOptions SmallOptions(CollaborativeModelKind model) => new()
    {
        Model = model,
        Dimension = 16,
        NumberOfEpochs = model == CollaborativeModelKind.SasRec ? 15 : 30,
        BatchSize = model == CollaborativeModelKind.SasRec ? 64 : 512,
        LearningRate = model == CollaborativeModelKind.SasRec ? 3e-3 : 1e-2,
        Loss = model == CollaborativeModelKind.SasRec ? CollaborativeLoss.CrossEntropy : CollaborativeLoss.Bpr,
        GraphLayers = 2,
        MaxHistoryLength = 20,
        Heads = 2,
        Dropout = 0.1,
        TopK = 5,
        TimestampColumnName = InteractionDataViews.TimestampColumn,
        EarlyStoppingPatience = 0,
    };

    public static TheoryData<CollaborativeModelKind> Models => new() { CollaborativeModelKind.MatrixFactorization, CollaborativeModelKind.LightGcn, CollaborativeModelKind.SasRec };

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryModelLearnsTheCatalogAgainstCoOccurrence(CollaborativeModelKind model)
    {
        var ml = new MLContext(seed: 1);
        LeaveOneOutSplit split = SequenceSplitter.LeaveOneOut(Catalog.Dataset, maxHistory: 20);
        IDataView train = split.TrainDataset(includeValidation: true).ToDataView(ml);
        var options = SmallOptions(model);
        options.HoldOutLastItemForValidation = false;

        using CollaborativeEmbeddingTransformer transformer = ml.GenerativeRecommendation().CollaborativeEmbedding(options).Fit(train);

        var cases = split.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.FullHistory, new[] { c.Target })).ToArray();
        var popularity = new PopularityRecommender(split.TrainSequences.Select((s, u) => s.Concat(new[] { split.ValidationCases.FirstOrDefault(v => v.UserIndex == u)?.Target ?? -1 }).Where(i => i >= 0).ToArray()).ToArray(), Catalog.Dataset.ItemCount);
        double modelRecall = RecommenderEvaluator.Evaluate(transformer.Model, cases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);
        double popularityRecall = RecommenderEvaluator.Evaluate(popularity, cases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);
        var trainAndValidation = split.TrainSequences.Select((s, u) => s.Concat(split.ValidationCases.Where(v => v.UserIndex == u).Select(v => v.Target)).ToArray()).ToArray();
        double coOccurrenceRecall = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(trainAndValidation, Catalog.Dataset.ItemCount), cases, new[] { 10 }, excludeHistory: true).Get(MetricNames.Recall, 10);

        // Measured 2026-11-30: SASRec 0.5675, MF 0.4625, LightGCN 0.5225 against co-occurrence 0.4975 and popularity
        // 0.1000. SASRec reads the order, so it must pass co-occurrence (the last item's successors); MF and LightGCN
        // ignore order and must reach most of it, which is already 5× popularity.
        double bar = model == CollaborativeModelKind.SasRec ? coOccurrenceRecall : 0.8 * coOccurrenceRecall;
        modelRecall.Should().BeGreaterThan(bar, $"{model} must learn the catalog's structure (co-occurrence {coOccurrenceRecall:F4}, popularity {popularityRecall:F4})");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void SaveAndLoadGiveIdenticalOutputsAndPredictionEngineWorks(CollaborativeModelKind model)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Catalog.Dataset.ToDataView(ml);
        var options = SmallOptions(model);
        options.NumberOfEpochs = 2;
        using CollaborativeEmbeddingTransformer transformer = new CollaborativeEmbeddingEstimator(ml, options).Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-cf-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, data.Schema, path);
            var fresh = new MLContext(seed: 99);
            ITransformer loaded = fresh.Model.Load(path, out DataViewSchema schema);

            var before = ReadOutputs(transformer.Transform(data), options);
            var after = ReadOutputs(loaded.Transform(Catalog.Dataset.ToDataView(fresh)), options);
            after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
            before[0].UserEmbedding.Should().Equal(transformer.Model.GetUserEmbedding((int)before[0].User - 1).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RawIdPipelineServesThroughPredictionEngineBeforeAndAfterLoading()
    {
        // The user story: string IDs -> MapValueToKey -> collaborative embedding, saved as one ML.NET model.
        var ml = new MLContext(seed: 1);
        IDataView raw = ml.Data.LoadFromEnumerable(RawRows());
        var options = SmallOptions(CollaborativeModelKind.MatrixFactorization);
        options.NumberOfEpochs = 2;
        options.TimestampColumnName = null; // rows are already in time order
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(RawRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(RawRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(options));
        var model = pipeline.Fit(raw);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-cf-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, raw.Schema, path);
            var fresh = new MLContext(seed: 2);
            ITransformer loaded = fresh.Model.Load(path, out _);
            var original = ml.Model.CreatePredictionEngine<RawRow, CollaborativeOutputRow>(model);
            var reloaded = fresh.Model.CreatePredictionEngine<RawRow, CollaborativeOutputRow>(loaded);

            foreach (var row in RawRows().Take(20))
            {
                CollaborativeOutputRow a = original.Predict(row), b = reloaded.Predict(row);
                b.Should().BeEquivalentTo(a);
                a.UserEmbedding.Should().HaveCount(16).And.Contain(v => v != 0f);
                a.RecommendedItems.Should().HaveCount(5);
            }

            // IDs the key mapping never saw map to key 0: documented defaults, no crash.
            foreach (var engine in new[] { original, reloaded })
            {
                CollaborativeOutputRow unseen = engine.Predict(new RawRow { User = "never-seen", Item = "unknown" });
                unseen.UserEmbedding.Should().HaveCount(16).And.OnlyContain(v => v == 0f);
                unseen.ItemEmbedding.Should().HaveCount(16).And.OnlyContain(v => v == 0f);
                unseen.RecommendedItems.Should().BeEmpty();
                unseen.Scores.Should().BeEmpty();
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<RawRow> RawRows()
    {
        InteractionDataset d = Catalog.Dataset;
        for (int i = 0; i < d.InteractionCount; i++)
        {
            yield return new RawRow { User = d.UserIds[d.UserIndices[i]], Item = d.ItemIds[d.ItemIndices[i]] };
        }
    }

    [Fact]
    public void RankingColumnMatchesTheModelAndExcludesHistory()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Catalog.Dataset.ToDataView(ml);
        var options = SmallOptions(CollaborativeModelKind.MatrixFactorization);
        options.NumberOfEpochs = 3;
        using var transformer = new CollaborativeEmbeddingEstimator(ml, options).Fit(data);

        var rows = ReadOutputs(transformer.Transform(data), options);
        int[][] sequences = Catalog.Dataset.SequencesByUser();
        foreach (var row in rows.Take(50))
        {
            int user = (int)row.User - 1;
            row.Items.Should().HaveCount(5).And.OnlyHaveUniqueItems();
            row.Items.Select(k => (int)k - 1).Should().NotIntersectWith(sequences[user]);
            row.Scores.Should().BeInDescendingOrder();
            int[] expected = transformer.Model.Recommend(new[] { new RecommendationRequest(user, sequences[user]) }, 5, excludeHistory: true)[0];
            row.Items.Select(k => (int)k - 1).Should().Equal(expected);
        }
    }

    [Fact]
    public void SameSeedGivesTheSameEmbeddings()
    {
        float[] Train(int seed)
        {
            var ml = new MLContext(seed: seed);
            var options = SmallOptions(CollaborativeModelKind.LightGcn);
            options.NumberOfEpochs = 2;
            using var t = new CollaborativeEmbeddingEstimator(ml, options).Fit(Catalog.Dataset.ToDataView(ml));
            return t.Model.ItemEmbeddings.ToArray();
        }

        Train(5).Should().Equal(Train(5));
        Train(5).Should().NotEqual(Train(6));
    }

    [Fact]
    public void WrongColumnTypesAreRejectedWithTheColumnName()
    {
        var ml = new MLContext(seed: 1);
        IDataView strings = ml.Data.LoadFromEnumerable(new[] { new { UserId = "u1", ItemId = "i1" } });
        var estimator = new CollaborativeEmbeddingEstimator(ml, SmallOptions(CollaborativeModelKind.MatrixFactorization));

        estimator.Invoking(e => e.Fit(strings)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'UserId' must be a UInt32 key column*");

        IDataView missing = ml.Data.LoadFromEnumerable(new[] { new { Other = 1f } });
        estimator.Invoking(e => e.Fit(missing)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'UserId' was not found*");
    }

    [Fact]
    public void EmptyDataIsRejected()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Catalog.Dataset.ToDataView(ml);
        IDataView empty = ml.Data.FilterRowsByColumn(data, InteractionDataViews.TimestampColumn, lowerBound: double.MaxValue);
        var estimator = new CollaborativeEmbeddingEstimator(ml, SmallOptions(CollaborativeModelKind.MatrixFactorization));

        estimator.Invoking(e => e.Fit(empty)).Should().Throw<ArgumentException>().WithMessage("The training data has no rows.*");
    }

    [Theory]
    [InlineData(nameof(CollaborativeEmbeddingOptions.Dropout), double.NaN)]
    [InlineData(nameof(CollaborativeEmbeddingOptions.Dropout), 1.5)]
    [InlineData(nameof(CollaborativeEmbeddingOptions.L2Regularization), double.NaN)]
    [InlineData(nameof(CollaborativeEmbeddingOptions.LearningRate), double.NaN)]
    [InlineData(nameof(CollaborativeEmbeddingOptions.Dimension), 0)]
    public void BadOptionsFailAtConstructionNamingTheField(string field, double value)
    {
        var options = SmallOptions(CollaborativeModelKind.SasRec);
        var info = typeof(CollaborativeEmbeddingOptions).GetField(field)!;
        info.SetValue(options, info.FieldType == typeof(int) ? (object)(int)value : value);

        Action create = () => new CollaborativeEmbeddingEstimator(new MLContext(1), options);

        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(field);
    }

    [Fact]
    public void HeadsThatDoNotDivideTheDimensionAreRejected()
    {
        var options = SmallOptions(CollaborativeModelKind.SasRec);
        options.Heads = 3;

        Action create = () => new CollaborativeEmbeddingEstimator(new MLContext(1), options);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Heads (3) must divide Dimension (16)*");
    }

    [Fact]
    public void TransformRejectsAKeyColumnFromADifferentMapping()
    {
        var ml = new MLContext(seed: 1);
        var options = SmallOptions(CollaborativeModelKind.MatrixFactorization);
        options.NumberOfEpochs = 1;
        using var transformer = new CollaborativeEmbeddingEstimator(ml, options).Fit(Catalog.Dataset.ToDataView(ml));
        var other = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 50, ItemCount = 150, Seed = 4 }).Dataset.ToDataView(ml);

        transformer.Invoking(t => t.Transform(other)).Should().Throw<InvalidOperationException>().WithMessage("*'UserId' has 50 keys but the model was trained with 400*");
    }

    private static List<(uint User, float[] UserEmbedding, float[] ItemEmbedding, uint[] Items, float[] Scores)> ReadOutputs(IDataView output, CollaborativeEmbeddingOptions options)
    {
        var result = new List<(uint, float[], float[], uint[], float[])>();
        using var cursor = output.GetRowCursor(output.Schema);
        var user = cursor.GetGetter<uint>(output.Schema[options.UserColumnName]);
        var userEmbedding = cursor.GetGetter<VBuffer<float>>(output.Schema[options.UserEmbeddingColumnName]);
        var itemEmbedding = cursor.GetGetter<VBuffer<float>>(output.Schema[options.ItemEmbeddingColumnName]);
        var items = cursor.GetGetter<VBuffer<uint>>(output.Schema[options.RecommendedItemsColumnName]);
        var scores = cursor.GetGetter<VBuffer<float>>(output.Schema[options.ScoresColumnName]);
        uint u = 0;
        VBuffer<float> ue = default, ie = default, s = default;
        VBuffer<uint> r = default;
        int seen = 0;
        while (cursor.MoveNext() && seen++ < 400)
        {
            user(ref u);
            userEmbedding(ref ue);
            itemEmbedding(ref ie);
            items(ref r);
            scores(ref s);
            result.Add((u, ue.DenseValues().ToArray(), ie.DenseValues().ToArray(), r.DenseValues().ToArray(), s.DenseValues().ToArray()));
        }

        return result;
    }
}

public sealed class RawRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";
}

public sealed class CollaborativeOutputRow
{
    public float[] UserEmbedding { get; set; } = Array.Empty<float>();

    public float[] ItemEmbedding { get; set; } = Array.Empty<float>();

    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}
