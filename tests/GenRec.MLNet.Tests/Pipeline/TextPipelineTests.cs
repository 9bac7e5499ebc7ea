using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Pipeline;

/// <summary>
/// The README's text pipeline ("Semantic IDs from your item titles"), run as written on the synthetic shop's titles:
/// item text → built-in sentence encoder → RQ-VAE with LETTER's regularizers (collaborative against MF embeddings) →
/// generative recommender; one Fit, Save, Load in a fresh MLContext, and the loaded chain must give the same vectors,
/// semantic IDs and recommendations.
/// </summary>
public sealed class TextPipelineTests
{
    private static readonly SyntheticCatalog Catalog = GenerativeTestData.Catalog;

    [Fact]
    public void TheReadmeTextPipelineFitsSavesAndLoadsWithIdenticalVectorsIdsAndRecommendations()
    {
        var mlContext = new MLContext(seed: 0);
        TitledInteraction[] rows = Rows();
        IDataView interactions = mlContext.Data.LoadFromEnumerable(rows);
        var model = ReadmeTextPipeline(mlContext).Fit(interactions);

        string path = Path.Combine(Path.GetTempPath(), $"genrec-text-pipeline-{Guid.NewGuid():N}.zip");
        try
        {
            mlContext.Model.Save(model, interactions.Schema, path);
            // The vectors after loading must come from the model, not from what this process remembers.
            MiniLmSentenceEncoder.Shared().ClearMemo();
            var serving = new MLContext();
            ITransformer loaded = serving.Model.Load(path, out _);

            TitledInteraction[] probe = rows.Where((_, i) => i % 17 == 0).ToArray();
            var (vectorsBefore, idsBefore) = VectorsAndIds(mlContext, model, probe);
            var (vectorsAfter, idsAfter) = VectorsAndIds(serving, loaded, probe);
            vectorsAfter.Should().HaveCount(probe.Length);
            for (int i = 0; i < probe.Length; i++)
            {
                vectorsAfter[i].Should().HaveCount(384).And.Equal(vectorsBefore[i], (a, b) => Math.Abs(a - b) < 1e-5f);
                idsAfter[i].Should().Equal(idsBefore[i]);
            }

            var before = mlContext.Model.CreatePredictionEngine<TitledInteraction, Recommendation>(model);
            var after = serving.Model.CreatePredictionEngine<TitledInteraction, Recommendation>(loaded);
            var answers = new HashSet<string>();
            foreach (string user in Catalog.Dataset.UserIds.Take(15))
            {
                Recommendation expected = before.Predict(new TitledInteraction { User = user });
                Recommendation actual = after.Predict(new TitledInteraction { User = user });
                // Beam search over the ID trie may return fewer than 10 items once the history is excluded.
                actual.RecommendedItemIds.Should().NotBeEmpty().And.Equal(expected.RecommendedItemIds).And.BeSubsetOf(Catalog.Dataset.ItemIds);
                actual.Scores.Should().Equal(expected.Scores);
                answers.Add(string.Join(',', actual.RecommendedItemIds));
            }

            answers.Count.Should().BeGreaterThan(1, "users with different histories get different recommendations");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The README's pipeline, line for line (only the data source differs: the README reads a CSV).</summary>
    private static IEstimator<ITransformer> ReadmeTextPipeline(MLContext mlContext)
    {
        var genRec = mlContext.GenerativeRecommendation();
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("UserId", nameof(TitledInteraction.User))
            .Append(mlContext.Transforms.Conversion.MapValueToKey("ItemId", nameof(TitledInteraction.Item)))
            // Item text → 384-d sentence vectors (all-MiniLM-L6-v2, embedded in the package: no model files, no network).
            .Append(ContentVectorizers.BuiltInSentenceEncoder(mlContext, "TextVector", nameof(TitledInteraction.Title)))
            // Collaborative item embeddings: LETTER's collaborative regularizer pulls the codes towards them.
            .Append(genRec.CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Dimension = 32, NumberOfEpochs = 10, LearningRate = 0.01, TimestampColumnName = nameof(TitledInteraction.Timestamp),
            }))
            // Semantic IDs learned from the text vectors (RQ-VAE), with LETTER's collaborative and diversity regularizers.
            .Append(genRec.SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "TextVector", CollaborativeColumnName = "ItemEmbedding",
                RqVae = new RqVaeOptions
                {
                    Levels = 3, CodebookSize = 16, CodeDimension = 16, EncoderLayerSizes = [128, 64], NumberOfEpochs = 40,
                    CollaborativeWeight = 0.02, DiversityWeight = 1e-4,
                },
            }))
            // The generative recommender: generates the semantic ID of each user's next item.
            .Append(genRec.GenerativeRecommender(new GenerativeRecommenderOptions
            {
                TimestampColumnName = nameof(TitledInteraction.Timestamp),
                Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
                DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
                NumberOfEpochs = 10, LearningRate = 3e-3, MaxTrainingTime = TimeSpan.FromSeconds(60),
            }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("RecommendedItemIds", "RecommendedItems"));
        return pipeline;
    }

    private static TitledInteraction[] Rows()
    {
        InteractionDataset data = Catalog.Dataset;
        return Enumerable.Range(0, data.InteractionCount).Select(i => new TitledInteraction
        {
            User = data.UserIds[data.UserIndices[i]],
            Item = data.ItemIds[data.ItemIndices[i]],
            Timestamp = data.Timestamps?[i] ?? i,
            Title = Catalog.ItemTitles[data.ItemIndices[i]],
        }).ToArray();
    }

    private static (float[][] Vectors, uint[][] Ids) VectorsAndIds(MLContext ml, ITransformer model, TitledInteraction[] rows)
    {
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        return (scored.GetColumn<float[]>("TextVector").ToArray(), scored.GetColumn<uint[]>("SemanticId").ToArray());
    }

    private sealed class TitledInteraction
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        public string Title { get; set; } = "";
    }

    private sealed class Recommendation
    {
        public string[] RecommendedItemIds { get; set; } = [];

        public float[] Scores { get; set; } = [];
    }
}
