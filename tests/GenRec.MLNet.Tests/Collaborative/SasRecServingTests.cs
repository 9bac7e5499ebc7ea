using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Collaborative;

/// <summary>
/// A saved SASRec computes its recommendations when a row is scored: after Save, a cleared model cache (as in a new
/// process) and Load in a fresh context it serves known users exactly as the fitted model, and serves histories it
/// never saw exactly as the trained network would.
/// </summary>
public sealed class SasRecServingTests : IClassFixture<SasRecServingFixture>
{
    private const int TopK = 5;
    private readonly SasRecServingFixture _fixture;

    public SasRecServingTests(SasRecServingFixture fixture) => _fixture = fixture;

    private static InteractionDataset Data => SasRecServingFixture.Catalog.Dataset;

    [Fact]
    public void KnownUsersGetTheFittedModelsItemsAndScoresAfterLoading()
    {
        using var loaded = _fixture.SaveAndLoad();
        var fitted = _fixture.Ml.Model.CreatePredictionEngine<SasRecRow, SasRecPrediction>(_fixture.Model);
        var reloaded = loaded.Ml.Model.CreatePredictionEngine<SasRecRow, SasRecPrediction>(loaded.Model);
        CollaborativeEmbeddingModel model = _fixture.Collaborative.Model;
        var distinct = new HashSet<string>();
        for (int user = 0; user < 25; user++)
        {
            var row = new SasRecRow { User = Data.UserIds[user] };
            SasRecPrediction before = fitted.Predict(row);
            SasRecPrediction after = reloaded.Predict(row);

            // What the precomputed lookup used to hold: the trained model's ranking of the user's training history.
            int[] history = model.GetTrainingHistory(user).ToArray();
            int[][] expected = model.Recommend(new[] { new RecommendationRequest(user, history) }, TopK, excludeHistory: true, out float[][] expectedScores);
            before.RecommendedItems.Select(key => (int)key - 1).Should().Equal(expected[0]);
            before.Scores.Should().Equal(expectedScores[0]);
            before.RecommendedItems.Should().HaveCount(TopK).And.OnlyHaveUniqueItems();
            before.RecommendedItems.Select(key => (int)key - 1).Should().NotIntersectWith(history);

            after.RecommendedItems.Should().Equal(before.RecommendedItems);
            after.Scores.Should().Equal(before.Scores);
            after.UserEmbedding.Should().Equal(before.UserEmbedding);
            distinct.Add(string.Join(',', after.RecommendedItems));
        }

        distinct.Count.Should().BeGreaterThan(1, "different histories must give different recommendations");
    }

    [Fact]
    public void AHistoryTheModelNeverSawGetsWhatTheTrainedNetworkGivesForIt()
    {
        using var loaded = _fixture.SaveAndLoad();
        var reloaded = loaded.Ml.Model.CreatePredictionEngine<SasRecRow, SasRecPrediction>(loaded.Model);
        CollaborativeEmbeddingModel model = _fixture.Collaborative.Model;
        int[][] sequences = Data.SequencesByUser();
        var newHistories = new List<int[]>
        {
            sequences[3].Reverse().ToArray(),
            new[] { 7, 2, 41, 19 },
            new[] { 0 },
            sequences[5].Concat(sequences[6]).ToArray(),
        };
        newHistories.Should().NotContain(h => sequences.Any(s => s.SequenceEqual(h)), "these histories must be new to the model");

        foreach (int[] history in newHistories)
        {
            int[][] expected = model.Recommend(new[] { new RecommendationRequest(0, history) }, TopK, excludeHistory: true, out float[][] expectedScores);
            string[] ids = history.Select(i => Data.ItemIds[i]).ToArray();
            foreach (string user in new[] { "never-seen-user", Data.UserIds[1] })
            {
                SasRecPrediction actual = reloaded.Predict(new SasRecRow { User = user, History = ids });
                actual.RecommendedItems.Select(key => (int)key - 1).Should().Equal(expected[0], $"user {user} brought history {string.Join(' ', history)}");
                actual.Scores.Should().Equal(expectedScores[0]);
            }
        }

        // The row's history replaces the stored one: user 1 with user 3's reversed history is not answered as user 1.
        SasRecPrediction own = reloaded.Predict(new SasRecRow { User = Data.UserIds[1] });
        SasRecPrediction brought = reloaded.Predict(new SasRecRow { User = Data.UserIds[1], History = newHistories[0].Select(i => Data.ItemIds[i]).ToArray() });
        brought.RecommendedItems.Should().NotEqual(own.RecommendedItems);

        // Items the key mapping never saw are skipped; a history of only those falls back to the stored one.
        string[] withUnknown = new[] { "never-seen-item" }.Concat(newHistories[1].Select(i => Data.ItemIds[i])).ToArray();
        reloaded.Predict(new SasRecRow { User = "x", History = withUnknown }).RecommendedItems
            .Should().Equal(reloaded.Predict(new SasRecRow { User = "x", History = withUnknown[1..] }).RecommendedItems);
        reloaded.Predict(new SasRecRow { User = Data.UserIds[1], History = new[] { "never-seen-item" } }).RecommendedItems.Should().Equal(own.RecommendedItems);

        // An unknown user with no history has nothing to encode: empty lists, as the lookup gave before.
        SasRecPrediction nothing = reloaded.Predict(new SasRecRow { User = "never-seen-user" });
        nothing.RecommendedItems.Should().BeEmpty();
        nothing.Scores.Should().BeEmpty();
    }

    [Fact]
    public void RecommendationsAreItemKeysWhoseValuesAreTheOriginalItemIds()
    {
        using var loaded = _fixture.SaveAndLoad();
        MLContext ml = loaded.Ml;
        var rows = new[]
        {
            new SasRecRow { User = Data.UserIds[0] },
            new SasRecRow { User = "never-seen-user", History = new[] { Data.ItemIds[4], Data.ItemIds[9] } },
        };
        IDataView scored = loaded.Model.Transform(ml.Data.LoadFromEnumerable(rows));
        DataViewType type = scored.Schema["RecommendedItems"].Type;
        type.Should().BeOfType<VectorDataViewType>().Which.ItemType.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be((ulong)Data.ItemCount);

        IDataView ids = ml.Transforms.Conversion.MapKeyToValue("RecommendedIds", "RecommendedItems").Fit(scored).Transform(scored);
        var read = ml.Data.CreateEnumerable<IdsRow>(ids, reuseRowObject: false).ToList();
        var keys = ml.Data.CreateEnumerable<SasRecPrediction>(scored, reuseRowObject: false).ToList();
        for (int r = 0; r < rows.Length; r++)
        {
            read[r].RecommendedIds.Should().HaveCount(TopK).And.BeSubsetOf(Data.ItemIds);
            read[r].RecommendedIds.Should().Equal(keys[r].RecommendedItems.Select(key => Data.ItemIds[(int)key - 1]));
        }

        scored.Schema.Select(c => c.Name).Should().NotContain(name => name.StartsWith("__GenRec"), "the chain's working columns are dropped");
        read[0].RecommendedIds.Should().NotIntersectWith(Data.SequencesByUser()[0].Select(i => Data.ItemIds[i]));
        read[1].RecommendedIds.Should().NotContain(new[] { Data.ItemIds[4], Data.ItemIds[9] });

        // The estimator announces the same column shape before any training.
        SchemaShape shape = _fixture.Pipeline(SasRecServingFixture.Options()).GetOutputSchema(_fixture.RawShape());
        SchemaShape.Column announced = shape.Single(c => c.Name == "RecommendedItems");
        announced.IsKey.Should().BeTrue();
        announced.Kind.Should().Be(SchemaShape.Column.VectorKind.VariableVector);
    }

    [Fact]
    public void AWrongPredictionHistoryColumnFailsNamingTheColumn()
    {
        MLContext ml = _fixture.Ml;
        IDataView keyed = _fixture.KeyMappings().Fit(_fixture.Raw).Transform(_fixture.Raw);

        // The raw strings, not item keys.
        CollaborativeEmbeddingOptions strings = SasRecServingFixture.Options();
        strings.PredictionHistoryColumnName = nameof(SasRecRow.History);
        new CollaborativeEmbeddingEstimator(ml, strings).Invoking(e => e.Fit(keyed))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' must be a vector of UInt32 item keys*");
        new CollaborativeEmbeddingEstimator(ml, strings).Invoking(e => e.GetOutputSchema(_fixture.KeyMappings().GetOutputSchema(_fixture.RawShape())))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' must be a vector of UInt32 item keys*");

        CollaborativeEmbeddingOptions missing = SasRecServingFixture.Options();
        missing.PredictionHistoryColumnName = "NoSuchColumn";
        new CollaborativeEmbeddingEstimator(ml, missing).Invoking(e => e.Fit(keyed))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'NoSuchColumn' was not found*");

        // Keys of another mapping (the item IDs in reverse order) would name other items.
        IDataView reversed = ml.Data.LoadFromEnumerable(Data.ItemIds.Reverse().Select(id => new IdRow { Id = id }));
        IDataView otherKeys = ml.Transforms.Conversion.MapValueToKey("OtherHistory", nameof(SasRecRow.History), keyData: reversed).Fit(keyed).Transform(keyed);
        CollaborativeEmbeddingOptions other = SasRecServingFixture.Options();
        other.PredictionHistoryColumnName = "OtherHistory";
        new CollaborativeEmbeddingEstimator(ml, other).Invoking(e => e.Fit(otherKeys))
            .Should().Throw<InvalidOperationException>().WithMessage("*'ItemId' and 'OtherHistory' come from different key mappings*");

        // MF ranks by the user key, so a history column there is a mistake, reported at construction.
        CollaborativeEmbeddingOptions matrix = SasRecServingFixture.Options();
        matrix.Model = CollaborativeModelKind.MatrixFactorization;
        Action create = () => new CollaborativeEmbeddingEstimator(ml, matrix);
        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be(nameof(CollaborativeEmbeddingOptions.PredictionHistoryColumnName));
    }

    [Fact]
    public void ACorruptModelBlobFailsBeforeBuildingTheNetwork()
    {
        CollaborativeEmbeddingModel model = _fixture.Collaborative.Model;
        byte[] blob = SasRecModelBlob.Save(model.SequenceNetwork!, model.ItemCount, SasRecServingFixture.Options());
        using (SasRecServingModel served = SasRecModelBlob.Load(blob))
        {
            served.ItemCount.Should().Be(Data.ItemCount);
            served.TopK.Should().Be(TopK);
        }

        Action truncated = () => SasRecModelBlob.Load(blob[..(blob.Length - 9)]);
        truncated.Should().Throw<InvalidDataException>().WithMessage("*weights*");
        Action header = () => SasRecModelBlob.Load(blob[..20]);
        header.Should().Throw<InvalidDataException>();

        // The item count sits right after the tag and version: a huge one must not reach the network's allocation.
        byte[] huge = (byte[])blob.Clone();
        int itemCountOffset = 1 + "GenRec.SasRec".Length + sizeof(int);
        BitConverter.GetBytes(int.MaxValue - 1).CopyTo(huge, itemCountOffset);
        Action tooMany = () => SasRecModelBlob.Load(huge);
        tooMany.Should().Throw<InvalidDataException>().WithMessage("*need at least*");

        Action foreign = () => SasRecModelBlob.Load(new byte[] { 1, 2, 3 });
        foreign.Should().Throw<InvalidDataException>();
    }

    private sealed class IdsRow
    {
        public string[] RecommendedIds { get; set; } = Array.Empty<string>();
    }
}

/// <summary>One SASRec trained once for <see cref="SasRecServingTests"/>, through the raw-ID pipeline a user would write.</summary>
public sealed class SasRecServingFixture : IDisposable
{
    internal static readonly SyntheticCatalog Catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 120, ItemCount = 60, MaxSequenceLength = 12, Seed = 7 });

    public SasRecServingFixture()
    {
        Ml = new MLContext(seed: 1);
        InteractionDataset d = Catalog.Dataset;
        Raw = Ml.Data.LoadFromEnumerable(Enumerable.Range(0, d.InteractionCount)
            .Select(i => new SasRecRow { User = d.UserIds[d.UserIndices[i]], Item = d.ItemIds[d.ItemIndices[i]], Timestamp = d.Timestamps?[i] ?? i })
            .ToArray());
        Model = Pipeline(Options()).Fit(Raw);
        Collaborative = Model.LastTransformer;
    }

    public MLContext Ml { get; }

    public IDataView Raw { get; }

    public TransformerChain<CollaborativeEmbeddingTransformer> Model { get; }

    public CollaborativeEmbeddingTransformer Collaborative { get; }

    internal static CollaborativeEmbeddingOptions Options() => new()
    {
        Model = CollaborativeModelKind.SasRec,
        Loss = CollaborativeLoss.CrossEntropy,
        Dimension = 16,
        Heads = 2,
        Layers = 1,
        MaxHistoryLength = 10,
        Dropout = 0.1,
        NumberOfEpochs = 4,
        BatchSize = 32,
        LearningRate = 3e-3,
        EarlyStoppingPatience = 0,
        HoldOutLastItemForValidation = false,
        TopK = 5,
        TimestampColumnName = nameof(SasRecRow.Timestamp),
        PredictionHistoryColumnName = "PredictionHistory",
        Device = TorchDeviceKind.Cpu,
        Seed = 3,
    };

    /// <summary>User and item keys in the dataset's index order (so key − 1 is the dataset index); the history shares the item mapping.</summary>
    public IEstimator<ITransformer> KeyMappings()
    {
        IDataView users = Ml.Data.LoadFromEnumerable(Catalog.Dataset.UserIds.Select(id => new IdRow { Id = id }));
        IDataView items = Ml.Data.LoadFromEnumerable(Catalog.Dataset.ItemIds.Select(id => new IdRow { Id = id }));
        return Ml.Transforms.Conversion.MapValueToKey("UserId", nameof(SasRecRow.User), keyData: users)
            .Append(Ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(SasRecRow.Item), keyData: items))
            .Append(Ml.Transforms.Conversion.MapValueToKey("PredictionHistory", nameof(SasRecRow.History), keyData: items));
    }

    public EstimatorChain<CollaborativeEmbeddingTransformer> Pipeline(CollaborativeEmbeddingOptions options) =>
        KeyMappings().Append(Ml.GenerativeRecommendation().CollaborativeEmbedding(options));

    /// <summary>The raw rows' shape (SchemaShape.Create is internal; a column-less CustomMapping builds it publicly).</summary>
    public SchemaShape RawShape() =>
        Ml.Transforms.CustomMapping<NoColumns, SasRecRow>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));

    /// <summary>Saves the fitted chain, forgets every built model as a new process would, and loads it in a fresh context.</summary>
    public LoadedModel SaveAndLoad()
    {
        string path = Path.Combine(Path.GetTempPath(), $"genrec-sasrec-{Guid.NewGuid():N}.zip");
        try
        {
            Ml.Model.Save(Model, Raw.Schema, path);
            ModelBlobCache.Clear();
            var fresh = new MLContext(seed: 42);
            return new LoadedModel(fresh, fresh.Model.Load(path, out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => Collaborative.Dispose();

    public sealed record LoadedModel(MLContext Ml, ITransformer Model) : IDisposable
    {
        public void Dispose() => ModelBlobCache.Clear();
    }
}

public sealed class SasRecRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public long Timestamp { get; set; }

    public string[] History { get; set; } = Array.Empty<string>();
}

public sealed class SasRecPrediction
{
    public float[] UserEmbedding { get; set; } = Array.Empty<float>();

    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}

public sealed class IdRow
{
    public string Id { get; set; } = "";
}
