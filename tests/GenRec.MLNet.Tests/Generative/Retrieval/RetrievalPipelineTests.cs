using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tests.Pipeline;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>
/// TokenRec as one ML.NET pipeline over raw interaction rows: MapValueToKey(user) → MapValueToKey(item) →
/// CollaborativeEmbedding (MF) → SemanticIdTokenizer (K-way, items) → SemanticIdTokenizer (K-way, users) →
/// GenerativeRetrieval, which reads the CF item embeddings and both code columns. Trained once (the fixture), then probed.
/// </summary>
public sealed class RetrievalPipelineTests : IClassFixture<RetrievalPipelineFixture>
{
    private readonly RetrievalPipelineFixture _fixture;

    public RetrievalPipelineTests(RetrievalPipelineFixture fixture) => _fixture = fixture;

    [Fact]
    public void AUserKeyAloneGetsWhatTheModelGivesForTheUsersStoredHistory()
    {
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
        InteractionDataset keyed = _fixture.KeyedTraining;
        int[][] sequences = keyed.SequencesByUser();
        GenerativeRetrievalModel model = _fixture.Retrieval.Model;
        var distinct = new HashSet<string>();
        for (int user = 0; user < 10; user++)
        {
            PipelineRecommendation result = engine.Predict(new InteractionRow { User = keyed.UserIds[user] });
            int[] expected = model.Recommend(new[] { new RecommendationRequest(user, sequences[user]) }, 10, excludeHistory: true, out float[][] scores)[0];

            result.RecommendedItems.Select(key => (int)key - 1).Should().Equal(expected);
            result.Scores.Should().HaveCount(10).And.BeInDescendingOrder().And.Equal(scores[0], (a, b) => Math.Abs(a - b) < 1e-5f);
            result.RecommendedItems.Select(key => (int)key - 1).Should().NotIntersectWith(sequences[user], "the user's history is excluded");
            distinct.Add(string.Join(',', result.RecommendedItems));
        }

        distinct.Count.Should().BeGreaterThan(1, "different users have different histories and codes");
    }

    [Fact]
    public void EveryFittedStageCarriesItsTrainingResult()
    {
        _fixture.Retrieval.TrainingResult!.Steps.Should().BeGreaterThan(0);
        ((SemanticIdTokenizerTransformer)_fixture.Model.ElementAt(3)).TrainingResult!.Steps.Should().BeGreaterThan(0);
        ((global::GenRec.MLNet.Collaborative.CollaborativeEmbeddingTransformer)_fixture.Model.ElementAt(2)).TrainingResult!.Steps.Should().BeGreaterThan(0);
    }

    [Fact]
    public void TheModelWasTrainedOnTheRowsCodesAndEmbeddings()
    {
        // Retrieval got its inputs from the earlier stages' columns, not from objects: its code tables are the
        // tokenizers' codes, and it ranks against the collaborative stage's item embeddings.
        GenerativeRetrievalModel model = _fixture.Retrieval.Model;
        var items = (SemanticIdTokenizerTransformer)_fixture.Model.ElementAt(3);
        var users = (SemanticIdTokenizerTransformer)_fixture.Model.ElementAt(4);
        model.ItemCodes!.ItemCount.Should().Be(RetrievalPipelineFixture.Data.ItemCount);
        model.UserCodes!.ItemCount.Should().Be(RetrievalPipelineFixture.Data.UserCount);
        for (int i = 0; i < model.ItemCodes.ItemCount; i++)
        {
            model.ItemCodes.GetCodes(i).ToArray().Should().Equal(items.Codes.GetCodes(i).ToArray());
        }

        for (int u = 0; u < model.UserCodes.ItemCount; u++)
        {
            model.UserCodes.GetCodes(u).ToArray().Should().Equal(users.Codes.GetCodes(u).ToArray());
        }

        model.CfDimension.Should().Be(RetrievalPipelineFixture.CfDimension);
    }

    [Fact]
    public void MapKeyToValueGivesRealItemIdsTheUserHasNotHad()
    {
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
        InteractionDataset keyed = _fixture.KeyedTraining;
        int[][] sequences = keyed.SequencesByUser();
        for (int user = 0; user < 5; user++)
        {
            var row = new InteractionRow { User = keyed.UserIds[user] };
            uint[] keys = engine.Predict(row).RecommendedItems;
            string[] ids = OnePipelineFixture.ItemIds(ml, _fixture.Model, row);
            ids.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.BeSubsetOf(RetrievalPipelineFixture.Data.ItemIds)
                .And.NotIntersectWith(sequences[user].Select(i => keyed.ItemIds[i]));
            ids.Should().Equal(keys.Select(key => keyed.ItemIds[(int)key - 1]), "the output keys are the ItemId column's keys");
        }
    }

    [Fact]
    public void SavedZipLoadsInAFreshContextWithIdenticalRecommendationsScoresAndIds()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-retrieval-pipeline-{Guid.NewGuid():N}.zip");
        try
        {
            var before = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
            string[] users = RetrievalPipelineFixture.Data.UserIds.Take(15).Append("never-seen-user").ToArray();
            PipelineRecommendation[] expected = users.Select(user => before.Predict(new InteractionRow { User = user })).ToArray();
            string[] expectedIds = OnePipelineFixture.ItemIds(ml, _fixture.Model, new InteractionRow { User = users[0] });
            ml.Model.Save(_fixture.Model, _fixture.Training.Schema, path);

            ModelBlobCache.Clear(); // as in a new process: only the zip can supply the weights
            var fresh = new MLContext(seed: 99);
            ITransformer loaded = fresh.Model.Load(path, out _);
            var after = fresh.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(loaded);
            for (int i = 0; i < users.Length; i++)
            {
                PipelineRecommendation actual = after.Predict(new InteractionRow { User = users[i] });
                actual.RecommendedItems.Should().Equal(expected[i].RecommendedItems);
                actual.Scores.Should().Equal(expected[i].Scores);
            }

            expected[0].RecommendedItems.Should().HaveCount(10);
            expected[^1].RecommendedItems.Should().BeEmpty("an unseen user has no codes to put in the prompt");
            OnePipelineFixture.ItemIds(fresh, loaded, new InteractionRow { User = users[0] }).Should().Equal(expectedIds);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheUserCodeAnchorTrainsFromTheUserEmbeddingColumnAndSurvivesSaveAndLoad()
    {
        var ml = new MLContext(seed: 3);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-retrieval-anchor-{Guid.NewGuid():N}.zip");
        try
        {
            TransformerChain<ITransformer> model = RetrievalPipelineFixture.Pipeline(ml, o => o.UseUserCodeAnchor = true).Fit(_fixture.Training);
            ((GenerativeRetrievalTransformer)model.LastTransformer).Model.Options.UseUserCodeAnchor.Should().BeTrue();
            var before = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(model);
            string[] users = RetrievalPipelineFixture.Data.UserIds.Take(10).ToArray();
            PipelineRecommendation[] expected = users.Select(user => before.Predict(new InteractionRow { User = user })).ToArray();
            ml.Model.Save(model, _fixture.Training.Schema, path);

            ModelBlobCache.Clear();
            var fresh = new MLContext(seed: 99);
            var after = fresh.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(fresh.Model.Load(path, out _));
            for (int i = 0; i < users.Length; i++)
            {
                PipelineRecommendation actual = after.Predict(new InteractionRow { User = users[i] });
                actual.RecommendedItems.Should().HaveCount(10).And.Equal(expected[i].RecommendedItems);
                actual.Scores.Should().Equal(expected[i].Scores);
            }

            // The user embeddings are read only as the decoder's target; a missing column is named before any stage trains retrieval.
            FluentActions.Invoking(() => RetrievalPipelineFixture.Pipeline(new MLContext(1), o => { o.UseUserCodeAnchor = true; o.UserEmbeddingColumnName = "NoSuchColumn"; })
                    .Fit(_fixture.Training))
                .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'NoSuchColumn'*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ANonEmptyPredictionHistoryReplacesTheStoredOne()
    {
        // The earlier stages of the fitted chain, plus a one-item history column made from the row's own item, then a
        // retrieval stage that reads it: a row naming an item is ranked from that item alone, a row without one (key 0,
        // skipped) from the user's stored history.
        var ml = new MLContext(seed: 1);
        ITransformer[] upstream = _fixture.Model.Take(5).ToArray();
        IDataView rows = upstream.Aggregate(_fixture.Training, (data, stage) => stage.Transform(data));
        ITransformer own = ml.Transforms.Concatenate("OwnHistory", "ItemId").Fit(rows);
        GenerativeRetrievalOptions options = Options(epochs: 1);
        options.PredictionHistoryColumnName = "OwnHistory";
        GenerativeRetrievalTransformer retrieval = ml.GenerativeRecommendation().GenerativeRetrieval(options).Fit(own.Transform(rows));
        var chain = new TransformerChain<ITransformer>(upstream.Append(own).Append(retrieval).ToArray());
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(chain);

        InteractionDataset keyed = _fixture.KeyedTraining;
        int[][] sequences = keyed.SequencesByUser();
        for (int user = 0; user < 3; user++)
        {
            int item = sequences[user][0];
            uint[] fromItem = engine.Predict(new InteractionRow { User = keyed.UserIds[user], Item = keyed.ItemIds[item] }).RecommendedItems;
            uint[] fromStored = engine.Predict(new InteractionRow { User = keyed.UserIds[user] }).RecommendedItems;
            fromItem.Select(key => (int)key - 1).Should().Equal(retrieval.Model.Recommend(new[] { new RecommendationRequest(user, new[] { item }) }, 10, excludeHistory: true)[0]);
            fromStored.Select(key => (int)key - 1).Should().Equal(retrieval.Model.Recommend(new[] { new RecommendationRequest(user, sequences[user]) }, 10, excludeHistory: true)[0]);
            fromItem.Should().NotEqual(fromStored);
        }
    }

    [Fact]
    public void AConflictingCfVectorForOneItemIsRejectedNamingTheRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new EmbeddedRow { User = "a", Item = "x", ItemEmbedding = new[] { 1f, 2f }, SemanticId = new uint[] { 1, 2 }, UserSemanticId = new uint[] { 0, 1 } },
            new EmbeddedRow { User = "b", Item = "y", ItemEmbedding = new[] { 3f, 4f }, SemanticId = new uint[] { 2, 2 }, UserSemanticId = new uint[] { 1, 1 } },
            new EmbeddedRow { User = "b", Item = "x", ItemEmbedding = new[] { 1f, 2.5f }, SemanticId = new uint[] { 1, 2 }, UserSemanticId = new uint[] { 1, 1 } },
        };
        IDataView keyed = Keys(ml, ml.Data.LoadFromEnumerable(rows));
        ml.GenerativeRecommendation().GenerativeRetrieval(Options(epochs: 1))
            .Invoking(e => e.Fit(keyed)).Should().Throw<ArgumentException>()
            .WithMessage("Row 3: item key 1 has 2.5 at position 1 of column 'ItemEmbedding' but an earlier row of the same item has 2*");
    }

    [Fact]
    public void ConflictingUserCodesAndUsersWithoutRowsAreRejected()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new EmbeddedRow { User = "a", Item = "x", ItemEmbedding = new[] { 1f, 2f }, SemanticId = new uint[] { 1, 2 }, UserSemanticId = new uint[] { 0, 1 } },
            new EmbeddedRow { User = "a", Item = "y", ItemEmbedding = new[] { 3f, 4f }, SemanticId = new uint[] { 2, 2 }, UserSemanticId = new uint[] { 0, 3 } },
        };
        ml.GenerativeRecommendation().GenerativeRetrieval(Options(epochs: 1))
            .Invoking(e => e.Fit(Keys(ml, ml.Data.LoadFromEnumerable(rows)))).Should().Throw<ArgumentException>()
            .WithMessage("Row 2: user key 1 has 3 at position 1 of column 'UserSemanticId'*");

        // A user mapping fitted on more users than the rows hold: that user has no codes to learn from.
        rows[1].UserSemanticId = new uint[] { 0, 1 };
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        IDataView users = ml.Data.LoadFromEnumerable(new[] { new IdRow { Id = "a" }, new IdRow { Id = "z" } });
        IDataView wide = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(EmbeddedRow.User), keyData: users)
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(EmbeddedRow.Item)))
            .Fit(data).Transform(data);
        ml.GenerativeRecommendation().GenerativeRetrieval(Options(epochs: 1))
            .Invoking(e => e.Fit(wide)).Should().Throw<ArgumentException>()
            .WithMessage("Column 'UserId' declares 2 users but user key 2 has no row*");
    }

    [Fact]
    public void MissingOrWronglyTypedColumnsAreNamedBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows.Take(30));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Fit(raw).Transform(raw);
        var estimator = ml.GenerativeRecommendation().GenerativeRetrieval(Options(epochs: 1));
        estimator.Invoking(e => e.Fit(keyed)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'ItemEmbedding' was not found*");

        // Before any training, the pipeline announces the recommendations as a vector of item keys; without the
        // collaborative stage, retrieval names the missing column.
        SchemaShape rawShape = ml.Transforms.CustomMapping<NoColumns, InteractionRow>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        SchemaShape.Column announced = RetrievalPipelineFixture.Pipeline(ml).GetOutputSchema(rawShape).Single(c => c.Name == "RecommendedItems");
        announced.IsKey.Should().BeTrue();
        announced.Kind.Should().Be(SchemaShape.Column.VectorKind.VariableVector);
        SchemaShape keyedShape = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item))).GetOutputSchema(rawShape);
        estimator.Invoking(e => e.GetOutputSchema(keyedShape)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'ItemEmbedding' was not found*");
    }

    internal static GenerativeRetrievalOptions Options(int epochs) => new()
    {
        Layers = 2,
        ModelDimension = 32,
        Heads = 2,
        FeedForwardDimension = 64,
        Dropout = 0.0,
        MaxHistoryLength = 10,
        ProjectionHiddenSizes = new[] { 64, 64 },
        NumberOfEpochs = epochs,
        BatchSize = 128,
        LearningRate = 3e-3,
        WarmupSteps = 10,
        WeightDecay = 0.0,
        EarlyStoppingPatience = 0,
        LogEveryNSteps = 1_000,
        Device = TorchDeviceKind.Cpu,
        Seed = 11,
    };

    private static IDataView Keys(MLContext ml, IDataView data) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(EmbeddedRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(EmbeddedRow.Item)))
            .Fit(data).Transform(data);

    private sealed class EmbeddedRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        [VectorType(2)]
        public float[] ItemEmbedding { get; set; } = Array.Empty<float>();

        public uint[] SemanticId { get; set; } = Array.Empty<uint>();

        public uint[] UserSemanticId { get; set; } = Array.Empty<uint>();
    }

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }
}
