using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Pipeline;

/// <summary>
/// The three stages as one ML.NET pipeline over interaction rows: MapValueToKey(user) → MapValueToKey(item) →
/// CollaborativeEmbedding → SemanticIdTokenizer (content = the CF item embedding) → GenerativeRecommender; one Fit,
/// one Save, one Load. Trained once per test class (the fixture), then probed.
/// </summary>
public sealed class OnePipelineTests : IClassFixture<OnePipelineFixture>
{
    private static readonly InteractionDataset Data = OnePipelineFixture.Data;
    private readonly OnePipelineFixture _fixture;

    public OnePipelineTests(OnePipelineFixture fixture) => _fixture = fixture;

    [Fact]
    public void AUserKeyAloneGetsExistingItemsOutsideItsHistoryAsOriginalIds()
    {
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
        InteractionDataset keyed = _fixture.KeyedTraining;
        int[][] sequences = keyed.SequencesByUser();
        for (int user = 0; user < 20; user++)
        {
            var row = new InteractionRow { User = keyed.UserIds[user] };
            PipelineRecommendation result = engine.Predict(row);
            result.RecommendedItems.Should().HaveCount(10).And.OnlyHaveUniqueItems();
            result.Scores.Should().HaveCount(10).And.BeInDescendingOrder();
            string[] history = sequences[user].Select(i => keyed.ItemIds[i]).ToArray();

            // MapKeyToValue turns the key vector back into the original item IDs; they are real items the user has not had.
            string[] ids = OnePipelineFixture.ItemIds(ml, _fixture.Model, row);
            ids.Should().HaveCount(10).And.BeSubsetOf(Data.ItemIds).And.NotIntersectWith(history);
            ids.Should().Equal(result.RecommendedItems.Select(key => keyed.ItemIds[(int)key - 1]), "the output keys are the ItemId column's keys");
        }
    }

    [Fact]
    public void RecommendationsComeFromTheUsersOwnTrainingHistory()
    {
        // The same model must answer differently for users with different histories, and a user's answer must be
        // what the trained model gives for that user's full, time-ordered training sequence.
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
        InteractionDataset keyed = _fixture.KeyedTraining;
        int[][] sequences = keyed.SequencesByUser();
        GenerativeRecommenderModel model = _fixture.Generative.Model;
        var distinct = new HashSet<string>();
        for (int user = 0; user < 10; user++)
        {
            uint[] keys = engine.Predict(new InteractionRow { User = keyed.UserIds[user] }).RecommendedItems;
            int[][] expected = model.Recommend(new[] { new GenRec.MLNet.Evaluation.RecommendationRequest(user, sequences[user]) }, 10, excludeHistory: true);
            keys.Select(k => (int)k - 1).Should().Equal(expected[0]);
            distinct.Add(string.Join(',', keys));
        }

        distinct.Count.Should().BeGreaterThan(1);
    }

    [Fact]
    public void SavedZipLoadsInAFreshContextWithIdenticalRecommendationsAndScores()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-pipeline-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(_fixture.Model, _fixture.Training.Schema, path);
            var other = new MLContext(seed: 99);
            ITransformer loaded = other.Model.Load(path, out _);
            var before = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
            var after = other.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(loaded);
            foreach (string user in OnePipelineFixture.Data.UserIds.Take(15).Append("never-seen-user"))
            {
                PipelineRecommendation expected = before.Predict(new InteractionRow { User = user });
                PipelineRecommendation actual = after.Predict(new InteractionRow { User = user });
                actual.RecommendedItems.Should().Equal(expected.RecommendedItems);
                actual.Scores.Should().Equal(expected.Scores);
            }

            OnePipelineFixture.ItemIds(other, loaded, new InteractionRow { User = OnePipelineFixture.Data.UserIds[0] })
                .Should().Equal(OnePipelineFixture.ItemIds(ml, _fixture.Model, new InteractionRow { User = OnePipelineFixture.Data.UserIds[0] }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheWholeChainGivesIdenticalRecommendationsScoresAndIdsInAFreshProcess()
    {
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
        string[] users = Data.UserIds.Take(12).Append("never-seen-user").ToArray();
        string[] expected = users.Select(user =>
        {
            var row = new InteractionRow { User = user };
            PipelineRecommendation r = engine.Predict(row);
            return string.Join(' ', r.RecommendedItems) + "\t" + string.Join(' ', r.Scores.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))
                + "\t" + string.Join(' ', OnePipelineFixture.ItemIds(ml, _fixture.Model, row));
        }).ToArray();

        string folder = Path.Combine(Path.GetTempPath(), $"genrec-pipeline-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string modelPath = Path.Combine(folder, "model.zip");
            string inputPath = Path.Combine(folder, "users.txt");
            string outputPath = Path.Combine(folder, "recommendations.txt");
            ml.Model.Save(_fixture.Model, _fixture.Training.Schema, modelPath);
            File.WriteAllLines(inputPath, users);

            Persistence.FreshProcessSaveLoadTests.RunProbe("recommend-user", modelPath, inputPath, outputPath);

            File.ReadAllLines(outputPath).Should().Equal(expected);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ARowWithAnItemGetsThatPairsScoreOnTheRecommendationScale()
    {
        // The score of the user's top recommendation, computed along its own ID, is the beam score that ranked it;
        // an unseen item gets NaN, as MatrixFactorization's Score.
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, ScoredRecommendation>(_fixture.Model);
        InteractionDataset keyed = _fixture.KeyedTraining;
        for (int user = 0; user < 5; user++)
        {
            ScoredRecommendation top = engine.Predict(new InteractionRow { User = keyed.UserIds[user] });
            string best = keyed.ItemIds[(int)top.RecommendedItems[0] - 1];
            string tenth = keyed.ItemIds[(int)top.RecommendedItems[9] - 1];
            engine.Predict(new InteractionRow { User = keyed.UserIds[user], Item = best }).Score.Should().BeApproximately(top.Scores[0], 1e-4f);
            engine.Predict(new InteractionRow { User = keyed.UserIds[user], Item = tenth }).Score.Should().BeApproximately(top.Scores[9], 1e-4f);
            top.Score.Should().Be(float.NaN);
        }

        float own = engine.Predict(new InteractionRow { User = keyed.UserIds[0], Item = keyed.ItemIds[3] }).Score;
        float other = engine.Predict(new InteractionRow { User = keyed.UserIds[1], Item = keyed.ItemIds[3] }).Score;
        own.Should().BeNegative().And.NotBe(other, "the score depends on the user's history");
        engine.Predict(new InteractionRow { User = keyed.UserIds[0], Item = "never-seen-item" }).Score.Should().Be(float.NaN);
    }

    [Fact]
    public void AnUnknownUserGetsTheModelsPriorInsteadOfAnError()
    {
        var ml = new MLContext(seed: 1);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(_fixture.Model);
        PipelineRecommendation result = engine.Predict(new InteractionRow { User = "never-seen-user" });
        result.RecommendedItems.Should().HaveCount(10).And.OnlyContain(key => key >= 1 && key <= OnePipelineFixture.Data.ItemCount);
    }

    [Fact]
    public void TrainingResultLivesOnTheFittedTransformer()
    {
        TrainingResult result = _fixture.Generative.TrainingResult;
        result.EpochsCompleted.Should().BeGreaterThan(0);
        result.ValidationCurve.Should().NotBeEmpty();
        result.Steps.Should().BeGreaterThan(0);
    }

    [Fact]
    public void ItemKeysFromAnotherMappingAreRejectedNamingBothColumns()
    {
        // Same item count, different numbering: counts alone would accept it and serve wrong items.
        var ml = new MLContext(seed: 1);
        IDataView reversedIds = ml.Data.LoadFromEnumerable(OnePipelineFixture.Data.ItemIds.Reverse().Select(id => new IdRow { Id = id }));
        IDataView rows = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows.Take(50));
        IDataView renumbered = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item), keyData: reversedIds))
            .Fit(rows).Transform(rows);

        _fixture.Generative.Invoking(g => g.GetOutputSchema(renumbered.Schema))
            .Should().Throw<InvalidOperationException>().WithMessage("*'ItemId'*'ItemId'*different key mappings*key 1*");
    }

    [Fact]
    public void MissingOrWronglyTypedColumnsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        IDataView rows = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows.Take(50));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Fit(rows).Transform(rows);
        var estimator = ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Tiny(epochs: 1));

        estimator.Invoking(e => e.Fit(keyed)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'SemanticId'*not found*");

        IDataView floatCodes = ml.Transforms.Conversion.ConvertType("SemanticId", "Timestamp", DataKind.Single).Fit(keyed).Transform(keyed);
        estimator.Invoking(e => e.Fit(floatCodes)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'SemanticId' must be a vector of UInt32 codes*");

        IDataView rawUsers = ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)).Fit(rows).Transform(rows);
        ml.GenerativeRecommendation().GenerativeRecommender(new GenerativeRecommenderOptions { UserColumnName = nameof(InteractionRow.User) })
            .Invoking(e => e.Fit(rawUsers)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'User' must be a UInt32 key column*");
    }

    [Fact]
    public void ConflictingSemanticIdsForOneItemAreRejected()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new CodedRow { User = "a", Item = "x", Codes = new uint[] { 1, 2 } },
            new CodedRow { User = "b", Item = "x", Codes = new uint[] { 1, 3 } },
        };
        IDataView view = ml.Data.LoadFromEnumerable(rows);
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(CodedRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(CodedRow.Item)))
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(CodedRow.Codes)))
            .Fit(view).Transform(view);
        ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Tiny(epochs: 1))
            .Invoking(e => e.Fit(keyed)).Should().Throw<ArgumentException>().WithMessage("*Row 2: item key 1 has semantic ID (1, 3) but an earlier row gave it (1, 2)*");
    }

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }

    private sealed class CodedRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public uint[] Codes { get; set; } = Array.Empty<uint>();
    }
}

/// <summary>A raw interaction as an ML.NET user loads it: user and item IDs as text, a numeric timestamp.</summary>
public sealed class InteractionRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }
}

/// <summary>The pipeline's recommendation columns.</summary>
public sealed class PipelineRecommendation
{
    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}

/// <summary>The pipeline's recommendation columns and the row's (user, item) score.</summary>
public sealed class ScoredRecommendation
{
    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();

    public float Score { get; set; }
}

/// <summary>Trains the full chain once on the generative tests' synthetic catalog (300 users, 100 items).</summary>
public sealed class OnePipelineFixture
{
    public static readonly InteractionDataset Data = GenerativeTestData.Catalog.Dataset;

    public static readonly InteractionRow[] Rows = Enumerable.Range(0, Data.InteractionCount)
        .Select(i => new InteractionRow { User = Data.UserIds[Data.UserIndices[i]], Item = Data.ItemIds[Data.ItemIndices[i]], Timestamp = Data.Timestamps?[i] ?? i })
        .ToArray();

    public OnePipelineFixture()
    {
        var ml = new MLContext(seed: 3);
        Training = ml.Data.LoadFromEnumerable(Rows);
        Model = Pipeline(ml).Fit(Training);
        Generative = (GenerativeRecommenderTransformer)Model.LastTransformer;

        // The interactions as the pipeline's key mappings number them (first-seen order), ordered by time.
        IDataView keyed = Model.Take(2).Aggregate(Training, (data, stage) => stage.Transform(data));
        KeyedTraining = InteractionDataViews.ToInteractionDataset(keyed, "UserId", "ItemId", nameof(InteractionRow.Timestamp)).OrderByTime();
    }

    public InteractionDataset KeyedTraining { get; }

    public IDataView Training { get; }

    public TransformerChain<ITransformer> Model { get; }

    public GenerativeRecommenderTransformer Generative { get; }

    public static EstimatorChain<ITransformer> Pipeline(MLContext ml)
    {
        GenerativeRecommenderOptions generative = GenerativeTestData.Tiny(epochs: 3);
        generative.UserColumnName = "UserId";
        generative.TimestampColumnName = nameof(InteractionRow.Timestamp);
        RqVaeOptions rqVae = Tokenization.RqVae.RqVaeTestData.SmallOptions(epochs: 5);
        rqVae.CollisionHandling = CollisionHandling.ExtraLevel;
        return ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Dimension = 16, NumberOfEpochs = 3, TimestampColumnName = nameof(InteractionRow.Timestamp), Device = TorchDeviceKind.Cpu, Seed = 5, LogEveryNSteps = 10_000,
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions { ContentColumnName = "ItemEmbedding", RqVae = rqVae }))
            .Append<ITransformer>(ml.GenerativeRecommendation().GenerativeRecommender(generative));
    }

    /// <summary>The row's recommendations turned back into item IDs with ML.NET's MapKeyToValue.</summary>
    public static string[] ItemIds(MLContext ml, ITransformer model, InteractionRow row)
    {
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(new[] { row }));
        IDataView ids = ml.Transforms.Conversion.MapKeyToValue("RecommendedIds", "RecommendedItems").Fit(scored).Transform(scored);
        return ids.GetColumn<VBuffer<ReadOnlyMemory<char>>>("RecommendedIds").Single().DenseValues().Select(v => v.ToString()).ToArray();
    }
}
