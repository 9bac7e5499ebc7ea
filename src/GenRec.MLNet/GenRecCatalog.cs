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
    /// Applies <paramref name="model"/> to <paramref name="data"/> as <c>model.Transform(data)</c> does, with the same
    /// outputs, but serves the generative recommender's rows in blocks: the cursor reads <paramref name="blockSize"/>
    /// rows ahead and decodes them with one batched beam search. Use it for a model loaded with <c>mlContext.Model.Load</c>,
    /// whose own <c>Transform</c> (ML.NET's chain of custom mappings) decodes one row at a time; a freshly fitted
    /// <see cref="GenerativeRecommenderTransformer"/> already serves in blocks. A model without a generative recommender
    /// is applied unchanged.
    /// </summary>
    /// <param name="model">A fitted or loaded model (a chain may hold the generative stage anywhere, nested chains included).</param>
    /// <param name="data">The rows to score.</param>
    /// <param name="blockSize">Rows decoded together (at least 1).</param>
    public IDataView TransformInBlocks(ITransformer model, IDataView data, int blockSize = Generative.Serving.BlockServing.DefaultBlockSize) =>
        Generative.Serving.BlockServing.Transform(model, data, blockSize);

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

    /// <summary>
    /// Generative retrieval over interaction rows, the last stage of one pipeline: it groups the rows by user and reads
    /// the CF item embeddings, the item codes and the user codes from the earlier stages' columns
    /// (<see cref="GenerativeRetrievalOptions.ItemEmbeddingColumnName"/>, <see cref="GenerativeRetrievalOptions.SemanticIdColumnName"/>,
    /// <see cref="GenerativeRetrievalOptions.UserSemanticIdColumnName"/>). At prediction a user key gets recommendations
    /// from that user's training history (see <see cref="GenerativeRetrievalEstimator(MLContext, GenerativeRetrievalOptions)"/>).
    /// </summary>
    public GenerativeRetrievalEstimator GenerativeRetrieval(GenerativeRetrievalOptions options) => new(MLContext, options);

    /// <summary>
    /// Ranking metrics of a scored <see cref="IDataView"/>, like <c>mlContext.Recommendation().Evaluate</c>: Recall, HR,
    /// NDCG and MRR at each K, averaged over users. Works on the output of a loaded model as well as a fitted one, and
    /// gives the same numbers as <see cref="Evaluation.RecommenderEvaluator"/> on the same lists and targets.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each row holds a user, one held-out (label) item and the recommendations. A user may have several rows: the
    /// user's relevant items are the label items of all of them (duplicates count once), and the ranked list is the
    /// recommendations of the user's first row. Users are grouped by the value of the user column (key value, text,
    /// or number).
    /// </para>
    /// <para>
    /// Items are compared as key values. A label with key 0 (an item the key mapping had not seen in training) counts
    /// as a relevant item that can never be hit, so it lowers Recall and NDCG rather than being silently dropped;
    /// <see cref="Evaluation.RecommendationMetrics.UnknownLabelCount"/> says how many there were. When both item
    /// columns are key-typed they must share one key mapping (same count and <c>KeyValues</c>).
    /// </para>
    /// </remarks>
    /// <param name="data">The scored data, e.g. <c>model.Transform(split.Test)</c>.</param>
    /// <param name="userColumnName">User column (a key column or any scalar column).</param>
    /// <param name="labelColumnName">Held-out item column: a UInt32 key column, or UInt32 key values (1-based, 0 = unknown).</param>
    /// <param name="recommendedItemsColumnName">Recommendations, best first: a vector of UInt32 item keys, or of UInt32 key values.</param>
    /// <param name="ks">Cutoffs, each at least 1 (default 5, 10, 20).</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the two item columns use different key mappings; the message names the column.</exception>
    public Evaluation.RecommendationMetrics Evaluate(IDataView data, string userColumnName = "UserId", string labelColumnName = "ItemId",
        string recommendedItemsColumnName = "RecommendedItems", int[]? ks = null) =>
        Evaluation.ScoredDataEvaluator.Evaluate(data, userColumnName, labelColumnName, recommendedItemsColumnName, ks ?? Evaluation.ScoredDataEvaluator.DefaultKs);

    /// <summary>
    /// Leave-one-out split of interaction rows (the SASRec / TIGER protocol): per user, the last interaction goes to
    /// <see cref="Data.InteractionSplit.Test"/>, the second-to-last to <see cref="Data.InteractionSplit.Validation"/>
    /// (when <paramref name="withValidation"/>), the rest to <see cref="Data.InteractionSplit.Train"/>.
    /// </summary>
    /// <remarks>
    /// A user's sequence is their rows ordered by <paramref name="timestampColumnName"/>, ties and everything without
    /// a timestamp by row order. Users with too few rows to keep one for training (fewer than 3 with validation, 2
    /// without) stay entirely in training. With validation this is <see cref="Data.SequenceSplitter.LeaveOneOut"/>
    /// on the same interactions. All three views keep the input's schema and every other column unchanged; users are
    /// grouped by the user column's value (key value, text or number).
    /// </remarks>
    /// <param name="data">Interactions, one per row.</param>
    /// <param name="userColumnName">User column (a key column or any scalar column).</param>
    /// <param name="itemColumnName">Item column (checked to exist; carried along).</param>
    /// <param name="timestampColumnName">Optional timestamp column (Double, Single, Int64, Int32, UInt32 or DateTime); null for row order.</param>
    /// <param name="withValidation">Also hold out the second-to-last interaction as validation.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or a user key is missing (0); the message names the column.</exception>
    public Data.InteractionSplit LeaveOneOutSplit(IDataView data, string userColumnName = "UserId", string itemColumnName = "ItemId",
        string? timestampColumnName = null, bool withValidation = true) =>
        Data.InteractionSplitter.LeaveOneOut(data, userColumnName, itemColumnName, timestampColumnName, withValidation);

    /// <summary>
    /// Per-user ratio split of interaction rows: of each user's n rows, ⌊n·<paramref name="testFraction"/>⌋ (at least
    /// one) go to test and ⌊n·<paramref name="validationFraction"/>⌋ (at least one when positive) to validation.
    /// Chronological by default (the held-out rows are the user's latest); with <paramref name="shuffle"/> they are
    /// drawn at random per user, reproducibly from <paramref name="seed"/>.
    /// </summary>
    /// <remarks>
    /// Unlike <c>mlContext.Data.TrainTestSplit</c>, which splits rows globally, every user keeps training rows: a user
    /// too short to give every requested part and keep one training row stays entirely in training. Ordering and
    /// grouping are as in <see cref="LeaveOneOutSplit"/>; the views keep the input's schema.
    /// </remarks>
    /// <param name="data">Interactions, one per row.</param>
    /// <param name="testFraction">Share of each user's rows held out for test, in (0, 1).</param>
    /// <param name="validationFraction">Share held out for validation, in [0, 1); 0 leaves <see cref="Data.InteractionSplit.Validation"/> empty.</param>
    /// <param name="userColumnName">User column (a key column or any scalar column).</param>
    /// <param name="itemColumnName">Item column (checked to exist; carried along).</param>
    /// <param name="timestampColumnName">Optional timestamp column; null for row order.</param>
    /// <param name="shuffle">Hold out random rows of each user instead of the latest.</param>
    /// <param name="seed">Seed of the shuffle; null draws one from the context's seed, as ML.NET's splits do.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type; the message names the column.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is out of range.</exception>
    public Data.InteractionSplit TrainTestSplit(IDataView data, double testFraction = 0.2, double validationFraction = 0,
        string userColumnName = "UserId", string itemColumnName = "ItemId", string? timestampColumnName = null, bool shuffle = false, int? seed = null) =>
        Data.InteractionSplitter.ByRatio(data, testFraction, validationFraction, userColumnName, itemColumnName, timestampColumnName,
            shuffle ? seed ?? ((Microsoft.ML.Runtime.IHostEnvironment)MLContext).Register(nameof(TrainTestSplit)).Rand.Next() : null);
}
