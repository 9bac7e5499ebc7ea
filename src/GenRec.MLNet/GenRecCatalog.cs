using GenRec.MLNet.Collaborative;
using Microsoft.ML;

namespace GenRec.MLNet;

/// <summary>Entry point: <c>mlContext.GenerativeRecommendation()</c>, like ML.NET's <c>mlContext.Recommendation()</c>.</summary>
public static class GenRecCatalogExtensions
{
    /// <summary>The GenRec.MLNet catalog of estimators for this context.</summary>
    public static GenRecCatalog GenerativeRecommendation(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new GenRecCatalog(mlContext);
    }
}

/// <summary>Creates GenRec.MLNet estimators bound to an <see cref="MLContext"/>.</summary>
public sealed class GenRecCatalog
{
    internal GenRecCatalog(MLContext mlContext) => MLContext = mlContext;

    /// <summary>The context the estimators log to and take their seed and GPU preference from.</summary>
    public MLContext MLContext { get; }

    /// <summary>Collaborative embeddings (MF-BPR, LightGCN, SASRec) with the common knobs.</summary>
    /// <param name="userColumnName">User key column.</param>
    /// <param name="itemColumnName">Item key column.</param>
    /// <param name="model">Model family.</param>
    /// <param name="dimension">Embedding dimension.</param>
    /// <param name="numberOfEpochs">Maximum epochs.</param>
    /// <param name="timestampColumnName">Optional column ordering each user's history.</param>
    public CollaborativeEmbeddingEstimator CollaborativeEmbedding(
        string userColumnName = "UserId",
        string itemColumnName = "ItemId",
        CollaborativeModelKind model = CollaborativeModelKind.MatrixFactorization,
        int dimension = 64,
        int numberOfEpochs = 20,
        string? timestampColumnName = null) =>
        new(MLContext, new CollaborativeEmbeddingOptions
        {
            UserColumnName = userColumnName,
            ItemColumnName = itemColumnName,
            Model = model,
            Dimension = dimension,
            NumberOfEpochs = numberOfEpochs,
            TimestampColumnName = timestampColumnName,
            Loss = model == CollaborativeModelKind.SasRec ? CollaborativeLoss.CrossEntropy : CollaborativeLoss.Bpr,
        });

    /// <summary>Collaborative embeddings with every option.</summary>
    public CollaborativeEmbeddingEstimator CollaborativeEmbedding(CollaborativeEmbeddingOptions options) => new(MLContext, options);
}
