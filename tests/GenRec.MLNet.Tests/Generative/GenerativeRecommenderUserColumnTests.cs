using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Generative;

/// <summary>TIGER's hashed user token read from a user key column of the estimator's input.</summary>
public sealed class GenerativeRecommenderUserColumnTests
{
    private static readonly InteractionDataset Dataset = GenerativeTestData.Catalog.Dataset;

    // Rows in reverse user order: the estimator must place each history by its user key, not by row position.
    private static IEnumerable<UserHistoryRow> Rows() =>
        Dataset.SequencesByUser().Select((s, u) => new UserHistoryRow { UserId = Dataset.UserIds[u], Items = s[..^1].Select(i => Dataset.ItemIds[i]).ToArray() }).Reverse();

    private static GenerativeRecommenderOptions UserOptions()
    {
        var options = GenerativeTestData.Tiny(epochs: 2);
        options.UseUserToken = true;
        options.UserHashBuckets = 64;
        options.UserColumnName = "User";
        return options;
    }

    private static EstimatorChain<GenerativeRecommenderTransformer> Pipeline(MLContext ml, GenerativeRecommenderOptions options)
    {
        // keyData fixes key order = index order for users and items.
        IDataView userIds = ml.Data.LoadFromEnumerable(Dataset.UserIds.Select(id => new IdRow { Id = id }));
        IDataView itemIds = ml.Data.LoadFromEnumerable(Dataset.ItemIds.Select(id => new IdRow { Id = id }));
        return ml.Transforms.Conversion.MapValueToKey("User", nameof(UserHistoryRow.UserId), keyData: userIds)
            .Append(ml.Transforms.Conversion.MapValueToKey("History", nameof(UserHistoryRow.Items), keyData: itemIds))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, options));
    }

    [Fact]
    public void RecommendationsUseEachRowsUserTokenAndSurviveSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Rows());
        var model = Pipeline(ml, UserOptions()).Fit(data);
        GenerativeRecommenderModel generative = model.LastTransformer.Model;
        int[][] sequences = Dataset.SequencesByUser();

        var outputs = ml.Data.CreateEnumerable<RecommendationRow>(model.Transform(data), reuseRowObject: false).Take(15).ToList();
        bool userTokenMatters = false;
        for (int row = 0; row < outputs.Count; row++)
        {
            int user = Dataset.UserCount - 1 - row;
            int[] history = sequences[user][..^1];
            int[] expected = generative.Recommend(new[] { new RecommendationRequest(user, history) }, 10, excludeHistory: true, out float[][] scores)[0];
            outputs[row].RecommendedItems.Select(k => (int)k - 1).Should().Equal(expected);
            outputs[row].Scores.Should().Equal(scores[0], (a, b) => Math.Abs(a - b) <= 1e-5f, "Transform decodes rows in blocks: the same scores to rounding");
            generative.Recommend(new[] { new RecommendationRequest(-1, history) }, 10, excludeHistory: true, out float[][] anonymous);
            userTokenMatters |= !anonymous[0].SequenceEqual(scores[0]);
        }

        userTokenMatters.Should().BeTrue("the user token is part of the model's input");

        string path = Path.Combine(Path.GetTempPath(), $"genrec-user-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ModelBlobCache.Clear();
            var fresh = new MLContext(seed: 3);
            ITransformer loaded = fresh.Model.Load(path, out _);
            var after = fresh.Data.CreateEnumerable<RecommendationRow>(loaded.Transform(fresh.Data.LoadFromEnumerable(Rows())), reuseRowObject: false).Take(15).ToList();
            after.Should().BeEquivalentTo(outputs, o => o.WithStrictOrdering()
                .Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f)).WhenTypeIs<float>());

            // A user the key mapping never saw gets the reserved unknown-user token.
            var engine = fresh.Model.CreatePredictionEngine<UserHistoryRow, RecommendationRow>(loaded);
            int[] firstHistory = sequences[0][..^1];
            RecommendationRow stranger = engine.Predict(new UserHistoryRow { UserId = "nobody", Items = firstHistory.Select(i => Dataset.ItemIds[i]).ToArray() });
            int[] expectedStranger = generative.Recommend(new[] { new RecommendationRequest(-1, firstHistory) }, 10, excludeHistory: true)[0];
            stranger.RecommendedItems.Select(k => (int)k - 1).Should().Equal(expectedStranger);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UserOptionsAndColumnsAreCheckedWithTheirNames()
    {
        var ml = new MLContext(seed: 1);
        var tokenOnly = UserOptions();
        tokenOnly.UserColumnName = null;
        ml.Invoking(m => m.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, tokenOnly))
            .Should().Throw<ArgumentException>().WithMessage("*UseUserToken (True) and UserColumnName (null) go together*");
        var columnOnly = GenerativeTestData.Tiny();
        columnOnly.UserColumnName = "User";
        ml.Invoking(m => m.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, columnOnly))
            .Should().Throw<ArgumentException>().WithMessage("*UseUserToken (False)*");

        IDataView data = ml.Data.LoadFromEnumerable(Rows());
        IDataView doubled = ml.Data.LoadFromEnumerable(Rows().Take(3).Concat(Rows().Take(1)));
        Pipeline(ml, UserOptions()).Invoking(p => p.Fit(doubled)).Should().Throw<ArgumentException>().WithMessage("*user key * appears twice*");

        IDataView itemIds = ml.Data.LoadFromEnumerable(Dataset.ItemIds.Select(id => new IdRow { Id = id }));
        var textUser = ml.Transforms.CopyColumns("User", nameof(UserHistoryRow.UserId))
            .Append(ml.Transforms.Conversion.MapValueToKey("History", nameof(UserHistoryRow.Items), keyData: itemIds))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, UserOptions()));
        textUser.Invoking(p => p.Fit(data)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'User' must be a*key column*");
    }

    public sealed class UserHistoryRow
    {
        public string UserId { get; set; } = "";

        public string[] Items { get; set; } = Array.Empty<string>();
    }

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }
}
