using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using Sample = GenRec.MLNet.Tests.Generative.Retrieval.RetrievalTestData;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>The ML.NET face of generative retrieval: string IDs → keys → recommendations, saved as one model zip.</summary>
[Collection(RetrievalSampleCollection.Name)]
public sealed class GenerativeRetrievalEstimatorTests : IClassFixture<RetrievalEstimatorFixture>
{
    private readonly RetrievalEstimatorFixture _fit;

    private readonly RetrievalSample _sample;

    public GenerativeRetrievalEstimatorTests(RetrievalSample sample, RetrievalEstimatorFixture fit)
    {
        _sample = sample;
        _fit = fit;
    }

    [Fact]
    public void FitTrainsTheInMemoryModelAndTransformReturnsItsRecommendations()
    {
        // Same seed and the same sets as the in-memory trainer: the estimator adds no randomness of its own.
        _fit.Retrieval.Model.SaveWeights().Should().Equal(_fit.InMemory.SaveWeights());

        var rows = _fit.Ml.Data.CreateEnumerable<RetrievalOutputRow>(_fit.Model.Transform(_fit.Data), reuseRowObject: false).Take(30).ToList();
        for (int user = 0; user < rows.Count; user++)
        {
            // One request per call, as the mapping serves one row at a time (same tensor shapes, same numbers).
            var request = new RecommendationRequest(user, Sample.TrainSets[user]);
            int[] expected = _fit.InMemory.Recommend(new[] { request }, 10, excludeHistory: true, out float[][] scores)[0];

            rows[user].RecommendedItems.Select(k => (int)k - 1).Should().Equal(expected);
            rows[user].RecommendedItems.Should().HaveCount(10).And.OnlyContain(k => k >= 1 && k <= Sample.ItemCount);
            rows[user].Scores.Should().BeInDescendingOrder().And.Equal(scores[0], (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Fact]
    public void TheCatalogMethodBuildsTheSameEstimator()
    {
        var ml = new MLContext(seed: 1);
        var viaCatalog = _fit.Keys.Append(ml.GenerativeRecommendation().GenerativeRetrieval(_sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, Sample.Tiny(epochs: 2)))
            .Fit(ml.Data.LoadFromEnumerable(RetrievalEstimatorFixture.Rows()));

        viaCatalog.LastTransformer.Model.SaveWeights().Should().Equal(_fit.Retrieval.Model.SaveWeights());
    }

    [Fact]
    public void SaveLoadWithAnEmptyCacheGivesIdenticalRecommendationsAndPredictionEngineWorks()
    {
        var before = _fit.Ml.Data.CreateEnumerable<RetrievalOutputRow>(_fit.Model.Transform(_fit.Data), reuseRowObject: false).Take(20).ToList();
        string path = Path.Combine(Path.GetTempPath(), $"genrec-retrieval-{Guid.NewGuid():N}.zip");
        try
        {
            _fit.Ml.Model.Save(_fit.Model, _fit.Data.Schema, path);
            ModelBlobCache.Clear(); // as in a new process: only the zip can supply the weights
            var fresh = new MLContext(seed: 7);
            ITransformer loaded = fresh.Model.Load(path, out _);

            var after = fresh.Data.CreateEnumerable<RetrievalOutputRow>(loaded.Transform(fresh.Data.LoadFromEnumerable(RetrievalEstimatorFixture.Rows())), reuseRowObject: false).Take(20).ToList();
            after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());

            var engine = fresh.Model.CreatePredictionEngine<RetrievalRow, RetrievalOutputRow>(loaded);
            RetrievalOutputRow first = engine.Predict(RetrievalEstimatorFixture.Rows().First());
            first.RecommendedItems.Should().Equal(before[0].RecommendedItems);
            first.Scores.Should().Equal(before[0].Scores);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UnseenKeysAreSkippedEmptyHistoriesAreRankedAndUnknownUsersGetNothing()
    {
        var engine = _fit.Ml.Model.CreatePredictionEngine<RetrievalRow, RetrievalOutputRow>(_fit.Model);
        string[] history = Sample.TrainSets[3].Select(RetrievalEstimatorFixture.ItemId).ToArray();
        RetrievalOutputRow known = engine.Predict(new RetrievalRow { UserId = "u3", ItemIds = history });

        // An ID the key mapping never saw becomes key 0 and is skipped.
        RetrievalOutputRow withUnseen = engine.Predict(new RetrievalRow { UserId = "u3", ItemIds = history.Append("never-seen").ToArray() });
        withUnseen.RecommendedItems.Should().Equal(known.RecommendedItems);

        // An empty history is ranked from the user's codes alone.
        RetrievalOutputRow empty = engine.Predict(new RetrievalRow { UserId = "u3", ItemIds = Array.Empty<string>() });
        int[] expected = _fit.InMemory.Recommend(new[] { new RecommendationRequest(3, Array.Empty<int>()) }, 10, excludeHistory: true)[0];
        empty.RecommendedItems.Select(k => (int)k - 1).Should().Equal(expected);

        // A user without codes cannot be encoded: defined empty result rather than someone else's items.
        RetrievalOutputRow stranger = engine.Predict(new RetrievalRow { UserId = "nobody", ItemIds = history });
        stranger.RecommendedItems.Should().BeEmpty();
        stranger.Scores.Should().BeEmpty();

        // Keys beyond the model's items (a key type wider than the catalog) are skipped too.
        uint[] keys = Sample.TrainSets[3].Select(i => (uint)i + 1).ToArray();
        IDataView wide = WideKeys(new[] { keys, keys.Append((uint)Sample.ItemCount + 50).ToArray() }, "u3");
        var outputs = _fit.Ml.Data.CreateEnumerable<RetrievalOutputRow>(_fit.Retrieval.Transform(wide), reuseRowObject: false).ToList();
        outputs[1].RecommendedItems.Should().Equal(outputs[0].RecommendedItems).And.Equal(known.RecommendedItems);
    }

    [Fact]
    public void WrongColumnsAreRejectedWithTheColumnName()
    {
        var estimator = new GenerativeRetrievalEstimator(_fit.Ml, _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, Sample.Tiny(epochs: 1));
        IDataView strings = _fit.Ml.Data.LoadFromEnumerable(RetrievalEstimatorFixture.Rows());
        IDataView renamed = _fit.Ml.Transforms.CopyColumns("History", nameof(RetrievalRow.ItemIds)).Fit(strings).Transform(strings);
        IDataView keyedItems = _fit.ItemKeys.Fit(strings).Transform(strings);
        IDataView stringUser = _fit.Ml.Transforms.CopyColumns("User", nameof(RetrievalRow.UserId)).Fit(keyedItems).Transform(keyedItems);
        var narrowKeys = _fit.Ml.Transforms.Conversion.MapValueToKey("History", nameof(RetrievalRow.ItemIds)).Fit(_fit.Ml.Data.TakeRows(strings, 2));

        estimator.Invoking(e => e.Fit(strings)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' was not found*");
        estimator.Invoking(e => e.Fit(renamed)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' must be a vector of UInt32 item keys*");
        estimator.Invoking(e => e.Fit(keyedItems)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'User' was not found*");
        estimator.Invoking(e => e.Fit(stringUser)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'User' must be a scalar UInt32 user key column*");
        estimator.Invoking(e => e.Fit(narrowKeys.Transform(_fit.Ml.Data.TakeRows(strings, 2)))).Should().Throw<InvalidOperationException>()
            .WithMessage($"*item keys but there are {Sample.ItemCount} CF item embeddings*");

        // Training rows are not silently skipped: key 0 means the key mapping was fitted on other data.
        IDataView strangers = _fit.Ml.Data.LoadFromEnumerable(new[] { new RetrievalRow { UserId = "u1", ItemIds = new[] { "i1" } }, new RetrievalRow { UserId = "nobody", ItemIds = new[] { "i2" } } });
        IDataView unseenItem = _fit.Ml.Data.LoadFromEnumerable(new[] { new RetrievalRow { UserId = "u1", ItemIds = new[] { "i1", "never-seen" } } });
        estimator.Invoking(e => e.Fit(_fit.Keys.Fit(strangers).Transform(strangers))).Should().Throw<ArgumentException>().WithMessage("Row 2: column 'User' holds key 0*");
        estimator.Invoking(e => e.Fit(_fit.Keys.Fit(unseenItem).Transform(unseenItem))).Should().Throw<ArgumentException>().WithMessage("Row 1: column 'History' holds key 0*");

        FluentActions.Invoking(() => new GenerativeRetrievalEstimator(_fit.Ml, null, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, Sample.Tiny()))
            .Should().Throw<ArgumentNullException>().WithParameterName("userCodes");
        var noName = Sample.Tiny();
        noName.HistoryColumnName = " ";
        FluentActions.Invoking(() => new GenerativeRetrievalEstimator(_fit.Ml, _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, noName))
            .Should().Throw<ArgumentException>().WithMessage("*HistoryColumnName*");
    }

    [Fact]
    public void GetOutputSchemaPromisesTheDeliveredColumnsAndChecksTheInputs()
    {
        // SchemaShape.Create is internal; a column-less CustomMapping plus the key mappings build the shape publicly.
        var source = _fit.Ml.Transforms.CustomMapping<NoColumns, RetrievalRow>((_, _) => { }, contractName: null);
        SchemaShape raw = source.GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        SchemaShape keyed = _fit.Keys.GetOutputSchema(raw);

        SchemaShape promised = _fit.Estimator.GetOutputSchema(keyed);
        DataViewSchema delivered = _fit.Model.GetOutputSchema(_fit.Data.Schema);
        foreach (string name in new[] { "UserId", "ItemIds", "User", "History", "RecommendedItems", "Scores" })
        {
            SchemaShape.Column column = promised.FirstOrDefault(c => c.Name == name);
            column.Name.Should().Be(name, "the promised schema must have every delivered column");
            DataViewType type = delivered[name].Type;
            column.IsKey.Should().Be((type is VectorDataViewType vector ? vector.ItemType : type) is KeyDataViewType, name);
            column.Kind.Should().Be(type is VectorDataViewType ? SchemaShape.Column.VectorKind.VariableVector : SchemaShape.Column.VectorKind.Scalar, name);
        }

        delivered["RecommendedItems"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.UInt32));
        delivered["Scores"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single));
        delivered.Select(c => c.Name).Should().NotContain(n => n.StartsWith("__GenRec"), "the chain's working columns are dropped");

        _fit.Estimator.Invoking(e => e.GetOutputSchema(raw)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' must be a vector of item keys*");
        SchemaShape itemsOnly = _fit.ItemKeys.GetOutputSchema(raw);
        _fit.Estimator.Invoking(e => e.GetOutputSchema(itemsOnly)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'User' must be a scalar user key column*");

        // Without user tokens no user column is needed.
        var historyOnly = Sample.Tiny();
        historyOnly.UseUserTokens = false;
        new GenerativeRetrievalEstimator(_fit.Ml, null, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, historyOnly)
            .GetOutputSchema(itemsOnly).Select(c => c.Name).Should().Contain("RecommendedItems");
    }

    [Fact]
    public void WithoutUserTokensRowsNeedNoUserColumnAndSurviveSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var options = Sample.Tiny(epochs: 1);
        options.UseUserTokens = false;
        options.HoldOutLastItemForValidation = true;
        IDataView data = ml.Data.LoadFromEnumerable(RetrievalEstimatorFixture.Rows().Select(r => new ItemsRow { ItemIds = r.ItemIds }));
        var estimator = new GenerativeRetrievalEstimator(ml, null, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, options);
        var model = RetrievalEstimatorFixture.ItemKeyMapping(ml).Append(estimator).Fit(data);
        estimator.LastTrainingResult!.BestValidationMetric.Should().NotBeNull("the held-out last items validate");

        var before = ml.Data.CreateEnumerable<RetrievalOutputRow>(model.Transform(data), reuseRowObject: false).Take(10).ToList();
        before.Should().OnlyContain(r => r.RecommendedItems.Length == 10);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-retrieval-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ModelBlobCache.Clear();
            var fresh = new MLContext(seed: 3);
            ITransformer loaded = fresh.Model.Load(path, out _);
            var engine = fresh.Model.CreatePredictionEngine<ItemsRow, RetrievalOutputRow>(loaded);
            engine.Predict(new ItemsRow { ItemIds = RetrievalEstimatorFixture.Rows().First().ItemIds }).RecommendedItems.Should().Equal(before[0].RecommendedItems);
            engine.Predict(new ItemsRow()).RecommendedItems.Should().HaveCount(10, "an empty history gets the prompt-only ranking");
        }
        finally
        {
            File.Delete(path);
            model.LastTransformer.Dispose();
        }
    }

    /// <summary>Rows whose history key type is wider than the catalog (raw key values as given), for user <paramref name="userId"/>.</summary>
    private IDataView WideKeys(uint[][] histories, string userId)
    {
        var schema = SchemaDefinition.Create(typeof(KeyRow));
        schema[nameof(KeyRow.History)].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), Sample.ItemCount + 100));
        IDataView rows = _fit.Ml.Data.LoadFromEnumerable(histories.Select(h => new KeyRow { History = h, UserId = userId }), schema);
        return _fit.UserKeys.Fit(rows).Transform(rows);
    }

    private sealed class KeyRow
    {
        public uint[] History { get; set; } = Array.Empty<uint>();

        public string UserId { get; set; } = "";
    }
}

/// <summary>One estimator fit (and the in-memory trainer on the same sets) shared by the tests that only read them.</summary>
public sealed class RetrievalEstimatorFixture : IDisposable
{
    public RetrievalEstimatorFixture(RetrievalSample sample)
    {
        Ml = new MLContext(seed: 1);
        Data = Ml.Data.LoadFromEnumerable(Rows());
        ItemKeys = ItemKeyMapping(Ml);
        IDataView userIds = Ml.Data.LoadFromEnumerable(Enumerable.Range(0, Sample.UserCount).Select(u => new IdRow { Id = UserId(u) }));
        UserKeys = Ml.Transforms.Conversion.MapValueToKey("User", nameof(RetrievalRow.UserId), keyData: userIds);
        Keys = UserKeys.Append(ItemKeys);
        Estimator = new GenerativeRetrievalEstimator(Ml, sample.UserCodes, sample.ItemCodes, sample.ItemEmbeddings, Sample.CfDimension, Sample.Tiny(epochs: 2));
        Model = Keys.Append(Estimator).Fit(Data);
        Retrieval = Model.LastTransformer;
        InMemory = GenerativeRetrievalTrainer.Train(new MLContext(seed: 1), sample.UserCodes, sample.ItemCodes, sample.ItemEmbeddings, Sample.CfDimension,
            Sample.TrainSets, null, Sample.Tiny(epochs: 2), out _);
    }

    public MLContext Ml { get; }

    public IDataView Data { get; }

    /// <summary>Item IDs → keys in embedding order (keyData fixes key k = item k − 1).</summary>
    public IEstimator<ITransformer> ItemKeys { get; }

    /// <summary>User IDs → keys in code-table order (key k = user k − 1).</summary>
    public IEstimator<ITransformer> UserKeys { get; }

    /// <summary>User and item IDs → keys in code-table order.</summary>
    public IEstimator<ITransformer> Keys { get; }

    public GenerativeRetrievalEstimator Estimator { get; }

    public TransformerChain<GenerativeRetrievalTransformer> Model { get; }

    public GenerativeRetrievalTransformer Retrieval { get; }

    internal GenerativeRetrievalModel InMemory { get; }

    public static string UserId(int user) => $"u{user}";

    public static string ItemId(int item) => $"i{item}";

    /// <summary>One row per user: the user's training set (the same sets the in-memory trainer gets).</summary>
    public static IEnumerable<RetrievalRow> Rows() => Enumerable.Range(0, Sample.UserCount)
        .Select(u => new RetrievalRow { UserId = UserId(u), ItemIds = Sample.TrainSets[u].Select(ItemId).ToArray() });

    public static IEstimator<ITransformer> ItemKeyMapping(MLContext ml)
    {
        IDataView itemIds = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Sample.ItemCount).Select(i => new IdRow { Id = ItemId(i) }));
        return ml.Transforms.Conversion.MapValueToKey("History", nameof(RetrievalRow.ItemIds), keyData: itemIds);
    }

    public void Dispose()
    {
        Retrieval.Dispose();
        InMemory.Dispose();
    }

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }
}

public sealed class RetrievalRow
{
    public string UserId { get; set; } = "";

    public string[] ItemIds { get; set; } = Array.Empty<string>();
}

public sealed class ItemsRow
{
    public string[] ItemIds { get; set; } = Array.Empty<string>();
}

public sealed class RetrievalOutputRow
{
    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}
