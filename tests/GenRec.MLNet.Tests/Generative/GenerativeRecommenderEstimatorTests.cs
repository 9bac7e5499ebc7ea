using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Generative;

/// <summary>The ML.NET face of the generative recommender: string IDs → keys → recommendations, saved as one model zip.</summary>
public sealed class GenerativeRecommenderEstimatorTests
{
    private static readonly InteractionDataset Dataset = GenerativeTestData.Catalog.Dataset;

    private static IEnumerable<HistoryRow> Histories(bool dropLast) =>
        Dataset.SequencesByUser().Select(s => new HistoryRow { Items = (dropLast ? s[..^1] : s).Select(i => Dataset.ItemIds[i]).ToArray() });

    private static (ITransformer Model, GenerativeRecommenderTransformer Generative, IDataView Data) Fit(MLContext ml, int epochs = 2)
    {
        IDataView data = ml.Data.LoadFromEnumerable(Histories(dropLast: true));
        // keyData fixes key order = item index order, so key k is the item whose codes are row k - 1.
        IDataView itemIds = ml.Data.LoadFromEnumerable(Dataset.ItemIds.Select(id => new ItemIdRow { Id = id }));
        var options = GenerativeTestData.Tiny(epochs: epochs);
        options.HistoryColumnName = "History";
        var pipeline = ml.Transforms.Conversion.MapValueToKey("History", nameof(HistoryRow.Items), keyData: itemIds)
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, options));
        var model = pipeline.Fit(data);
        return (model, model.LastTransformer, data);
    }

    [Fact]
    public void TransformReturnsExistingItemKeysMatchingTheModel()
    {
        var ml = new MLContext(seed: 1);
        var (model, generative, data) = Fit(ml);

        var outputs = ml.Data.CreateEnumerable<RecommendationRow>(model.Transform(data), reuseRowObject: false).Take(30).ToList();
        int[][] sequences = Dataset.SequencesByUser();
        for (int user = 0; user < outputs.Count; user++)
        {
            RecommendationRow row = outputs[user];
            row.RecommendedItems.Should().NotBeEmpty().And.OnlyHaveUniqueItems().And.OnlyContain(k => k >= 1 && k <= Dataset.ItemCount);
            row.Scores.Should().BeInDescendingOrder();
            int[] expected = generative.Model.Recommend(new[] { new RecommendationRequest(-1, sequences[user][..^1]) }, 10, excludeHistory: true)[0];
            row.RecommendedItems.Select(k => (int)k - 1).Should().Equal(expected);
        }
    }

    [Fact]
    public void SaveLoadWithAnEmptyCacheGivesIdenticalRecommendationsAndPredictionEngineWorks()
    {
        var ml = new MLContext(seed: 1);
        var (model, _, data) = Fit(ml);
        var before = ml.Data.CreateEnumerable<RecommendationRow>(model.Transform(data), reuseRowObject: false).Take(20).ToList();
        string path = Path.Combine(Path.GetTempPath(), $"genrec-gen-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ModelBlobCache.Clear(); // as in a new process: only the zip can supply the weights
            var fresh = new MLContext(seed: 7);
            ITransformer loaded = fresh.Model.Load(path, out _);

            var after = fresh.Data.CreateEnumerable<RecommendationRow>(loaded.Transform(fresh.Data.LoadFromEnumerable(Histories(dropLast: true))), reuseRowObject: false).Take(20).ToList();
            // The fitted model's Transform decodes in blocks, the loaded zip's row by row: the same items, scores to rounding.
            after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering()
                .Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f)).WhenTypeIs<float>());

            var engine = fresh.Model.CreatePredictionEngine<HistoryRow, RecommendationRow>(loaded);
            var first = Histories(dropLast: true).First();
            engine.Predict(first).RecommendedItems.Should().Equal(before[0].RecommendedItems);

            // IDs the key mapping never saw are skipped, an empty history still gets recommendations.
            engine.Predict(new HistoryRow { Items = new[] { "never-seen" } }).RecommendedItems.Should().HaveCount(10);
            engine.Predict(new HistoryRow { Items = Array.Empty<string>() }).RecommendedItems.Should().HaveCount(10);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ItemsAddedAfterTrainingBecomeRecommendableAndSurviveSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var (model, generative, data) = Fit(ml);
        int[][] sequences = Dataset.SequencesByUser();
        var request = new RecommendationRequest(-1, sequences[0][..^1]);
        int top = generative.Model.Recommend(new[] { request }, 1, excludeHistory: true)[0][0];

        // A new item that shares the top item's ID (e.g. a new colour of a product) joins the trie leaf.
        SemanticIdTable codes = GenerativeTestData.Codes;
        var rows = Enumerable.Range(0, codes.ItemCount).Select(codes.GetCodes).Append(codes.GetCodes(top)).ToArray();
        generative.AddItems(new SemanticIdTable(rows, codes.CodebookSizes));
        int newItem = codes.ItemCount;

        generative.Model.Recommend(new[] { request }, 10, excludeHistory: true)[0].Should().Contain(newItem);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-gen-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ModelBlobCache.Clear();
            ITransformer loaded = new MLContext(seed: 2).Model.Load(path, out _);
            var engine = new MLContext(seed: 2).Model.CreatePredictionEngine<HistoryRow, RecommendationRow>(loaded);
            engine.Predict(new HistoryRow { Items = sequences[0][..^1].Select(i => Dataset.ItemIds[i]).ToArray() })
                .RecommendedItems.Should().Contain((uint)newItem + 1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WrongHistoryColumnsAreRejectedWithTheColumnName()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, GenerativeTestData.Tiny());
        IDataView strings = ml.Data.LoadFromEnumerable(Histories(dropLast: false));
        IDataView renamed = ml.Transforms.CopyColumns("History", nameof(HistoryRow.Items)).Fit(strings).Transform(strings);

        estimator.Invoking(e => e.Fit(strings)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' was not found*");
        estimator.Invoking(e => e.Fit(renamed)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'History' must be a vector of UInt32 item keys*");

        var keyed = ml.Transforms.Conversion.MapValueToKey("History", nameof(HistoryRow.Items)).Fit(ml.Data.TakeRows(strings, 2));
        estimator.Invoking(e => e.Fit(keyed.Transform(ml.Data.TakeRows(strings, 2)))).Should().Throw<InvalidOperationException>().WithMessage("*item keys but the semantic-ID table covers 100 items*");
    }

    private sealed class ItemIdRow
    {
        public string Id { get; set; } = "";
    }
}

public sealed class HistoryRow
{
    public string[] Items { get; set; } = Array.Empty<string>();
}

public sealed class RecommendationRow
{
    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}
