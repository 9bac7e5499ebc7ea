using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
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

    /// <summary>Semantic IDs learned by an RQ-VAE with LETTER's regularizers, from an item key and a content vector column.</summary>
    /// <param name="itemColumnName">Item key column.</param>
    /// <param name="contentColumnName">Content vector column (known-size Single vector).</param>
    /// <param name="levels">Codes per item.</param>
    /// <param name="codebookSize">Codes per level.</param>
    public SemanticIdTokenizerEstimator SemanticIdTokenizer(string itemColumnName = "ItemId", string contentColumnName = "Features", int levels = 4, int codebookSize = 256) =>
        new(MLContext, new SemanticIdTokenizerOptions
        {
            ItemColumnName = itemColumnName,
            ContentColumnName = contentColumnName,
            RqVae = new Tokenization.RqVae.RqVaeOptions { Levels = levels, CodebookSize = codebookSize },
        });

    /// <summary>Semantic IDs with every option.</summary>
    public SemanticIdTokenizerEstimator SemanticIdTokenizer(SemanticIdTokenizerOptions options) => new(MLContext, options);

    /// <summary>The TIGER/LETTER generative recommender over items described by <paramref name="codes"/>.</summary>
    /// <param name="codes">Semantic IDs of the items (index = item key − 1), e.g. <c>tokenizer.Codes</c>.</param>
    /// <param name="historyColumnName">Column holding each user's item keys, oldest first.</param>
    /// <param name="numberOfEpochs">Maximum epochs.</param>
    public GenerativeRecommenderEstimator GenerativeRecommender(SemanticIdTable codes, string historyColumnName = "History", int numberOfEpochs = 20) =>
        new(MLContext, codes, new GenerativeRecommenderOptions { HistoryColumnName = historyColumnName, NumberOfEpochs = numberOfEpochs });

    /// <summary>The generative recommender with every option.</summary>
    public GenerativeRecommenderEstimator GenerativeRecommender(SemanticIdTable codes, GenerativeRecommenderOptions options) => new(MLContext, codes, options);

    /// <summary>
    /// The generative recommender (TIGER / LETTER) over interaction rows, the last stage of one pipeline: it groups
    /// the rows by user into time-ordered histories and reads each item's semantic ID from the tokenizer stage's
    /// output column. At prediction a user key gets recommendations from that user's training history.
    /// </summary>
    /// <param name="userColumnName">User key column.</param>
    /// <param name="itemColumnName">Item key column; the recommendations carry its key type and key values.</param>
    /// <param name="semanticIdColumnName">The items' semantic IDs (vector of UInt32 codes), e.g. the tokenizer's output.</param>
    /// <param name="timestampColumnName">Optional numeric column ordering each user's rows (row order otherwise).</param>
    /// <param name="numberOfEpochs">Maximum epochs.</param>
    public GenerativeRecommenderEstimator GenerativeRecommender(
        string userColumnName = "UserId", string itemColumnName = "ItemId", string semanticIdColumnName = "SemanticId", string? timestampColumnName = null, int numberOfEpochs = 20) =>
        new(MLContext, new GenerativeRecommenderOptions
        {
            UserColumnName = userColumnName,
            ItemColumnName = itemColumnName,
            SemanticIdColumnName = semanticIdColumnName,
            TimestampColumnName = timestampColumnName,
            NumberOfEpochs = numberOfEpochs,
        });

    /// <summary>The generative recommender over interaction rows with every option (see <see cref="GenerativeRecommenderEstimator(MLContext, GenerativeRecommenderOptions)"/>).</summary>
    public GenerativeRecommenderEstimator GenerativeRecommender(GenerativeRecommenderOptions options) => new(MLContext, options);

    /// <summary>
    /// TokenRec-style generative retrieval: a transformer encodes the user's codes and the codes of the history items,
    /// and items are ranked by cosine similarity to their CF embeddings (no beam search).
    /// </summary>
    /// <param name="userCodes">K-way codes of the users (index = user key − 1), or null to read no user column.</param>
    /// <param name="itemCodes">K-way codes of the items (index = item key − 1).</param>
    /// <param name="cfItemEmbeddings">CF item embeddings, row-major [items × <paramref name="cfDimension"/>] (row = item key − 1).</param>
    /// <param name="cfDimension">Length of a CF embedding.</param>
    /// <param name="historyColumnName">Column holding each row's item keys.</param>
    /// <param name="userColumnName">User key column (read when <paramref name="userCodes"/> is given).</param>
    /// <param name="numberOfEpochs">Maximum epochs.</param>
    public GenerativeRetrievalEstimator GenerativeRetrieval(SemanticIdTable? userCodes, SemanticIdTable itemCodes, float[] cfItemEmbeddings, int cfDimension,
        string historyColumnName = "History", string userColumnName = "User", int numberOfEpochs = 50) =>
        new(MLContext, userCodes, itemCodes, cfItemEmbeddings, cfDimension, new GenerativeRetrievalOptions
        {
            HistoryColumnName = historyColumnName,
            UserColumnName = userColumnName,
            UseUserTokens = userCodes is not null,
            NumberOfEpochs = numberOfEpochs,
        });

    /// <summary>Generative retrieval with every option.</summary>
    public GenerativeRetrievalEstimator GenerativeRetrieval(SemanticIdTable? userCodes, SemanticIdTable? itemCodes, float[] cfItemEmbeddings, int cfDimension, GenerativeRetrievalOptions options) =>
        new(MLContext, userCodes, itemCodes, cfItemEmbeddings, cfDimension, options);
}
