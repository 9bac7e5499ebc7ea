using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Samples.MovieLens;

/// <summary>The two ML.NET pipelines the sample trains over <see cref="MovieRow"/>s: the generative one and SASRec.</summary>
internal static class MoviePipelines
{
    /// <summary>
    /// Text → semantic IDs → generative recommender: MapValueToKey (users, movies) → TextToDenseVector (TF-IDF n-grams
    /// + PCA to 64 dimensions over "title | genres") → SemanticIdTokenizer (RQ-VAE, 3 levels × 64 codes, fewer for a
    /// tiny catalog; no collaborative signal, so the IDs say what a movie is about, not who watched it) →
    /// GenerativeRecommender (decoder-only, the README's size) → MapKeyToValue.
    /// </summary>
    public static IEstimator<ITransformer> Generative(MLContext ml, TimeSpan budget, int movieCount)
    {
        var genRec = ml.GenerativeRecommendation();
        return KeyMappings(ml)
            .Append(ContentVectorizers.TextToDenseVector(ml, "Content", nameof(MovieRow.Text), new TextVectorOptions { Dimension = 64 }))
            .Append(genRec.SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "Content",
                RqVae = new RqVaeOptions
                {
                    Levels = 3, CodebookSize = CodebookSize(movieCount), NumberOfEpochs = 100, CollaborativeWeight = 0, LogEveryNSteps = 10_000,
                },
            }))
            .Append(genRec.GenerativeRecommender(new GenerativeRecommenderOptions
            {
                TimestampColumnName = nameof(MovieRow.Timestamp),
                Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
                DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
                MaxHistoryLength = 20, NumberOfEpochs = 100, LearningRate = 3e-3, EarlyStoppingPatience = 3,
                // MovieLens users have seen up to hundreds of movies, and seen movies are left out of the answer: with
                // the default beam of 20, a long history can leave fewer than 10 unseen movies in the beam.
                BeamSize = 50,
                MaxTrainingTime = budget, LogEveryNSteps = 10_000,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("RecommendedItemIds", "RecommendedItems"));
    }

    /// <summary>
    /// 64 codes per level for a real MovieLens catalog (thousands of movies); a small folder gets half as many codes as
    /// it has movies, since k-means cannot place more codes than there are movies (and would leave many unused).
    /// </summary>
    public static int CodebookSize(int movieCount) => Math.Clamp(movieCount / 2, 2, 64);

    /// <summary>
    /// The sequential baseline: MapValueToKey (users, movies) → CollaborativeEmbedding with SASRec (2 self-attention
    /// blocks over the last 50 movies, full-softmax loss) → MapKeyToValue. It never sees the text.
    /// </summary>
    public static IEstimator<ITransformer> SasRec(MLContext ml, TimeSpan budget) =>
        KeyMappings(ml)
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Model = CollaborativeModelKind.SasRec, Loss = CollaborativeLoss.CrossEntropy,
                Dimension = 64, Layers = 2, Heads = 1, Dropout = 0.2, MaxHistoryLength = 50,
                // An epoch is short (one pass over ~600 users), so validate every other epoch and allow 10 epochs without progress.
                BatchSize = 128, LearningRate = 1e-3, NumberOfEpochs = 200, ValidateEveryNEpochs = 2, EarlyStoppingPatience = 5,
                TimestampColumnName = nameof(MovieRow.Timestamp), MaxTrainingTime = budget, LogEveryNSteps = 10_000,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("RecommendedItemIds", "RecommendedItems"));

    private static EstimatorChain<Microsoft.ML.Transforms.ValueToKeyMappingTransformer> KeyMappings(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(MovieRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(MovieRow.Item)));
}
