using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Trains TokenRec-style generative retrieval: a transformer encoder reads a prompt of the user's code tokens and the
/// code tokens of (up to <see cref="GenerativeRetrievalOptions.MaxHistoryLength"/>) history items, projects it into the
/// space of fixed collaborative (CF) item embeddings, and ranks every item by cosine similarity (or, with
/// <see cref="RetrievalSimilarity.DotProduct"/>, the CF model's dot product), so every
/// recommendation is an existing item.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// Two input layouts. **Interaction rows** (the one-pipeline layout, estimator built from options alone): one row per
/// user–item event, after the collaborative stage and the tokenizer stages.
///
/// | Input column | Type | |
/// |---|---|---|
/// | `UserId` | UInt32 key (users) | groups the rows into users; at prediction, the user whose stored training history is used |
/// | `ItemId` | UInt32 key (items) | the item of the event |
/// | `ItemEmbedding` | known-size vector of Single | the item's CF embedding (the collaborative stage's output); the same on every row of an item |
/// | `SemanticId` | vector of UInt32 codes | the item's codes (a K-way tokenizer stage), read when `UseHistoryTokens` |
/// | `UserSemanticId` | vector of UInt32 codes | the user's codes (a second tokenizer stage over `UserId`/`UserEmbedding`), read when `UseUserTokens` |
/// | `UserEmbedding` | known-size vector of Single | the user's CF embedding, read only with `UseUserCodeAnchor` (the user-code decoder's training target, never an input at inference) |
/// | timestamp (optional) | Double, Single, Int64 or Int32 | orders each user's events (ties keep row order) |
/// | prediction history (optional) | vector of item keys | a history the row brings, used at prediction when non-empty |
///
/// Every user and item of the key mappings needs a row; codebook sizes are the largest code per level + 1. Each user's
/// distinct items form its training set; the full time-ordered history is stored in the zip and serves the user key.
///
/// **History rows** (estimator built with code tables and CF embeddings):
///
/// | Input column | Type | |
/// |---|---|---|
/// | `History` | vector of UInt32 keys (items) | a set: order does not matter, repeats count once |
/// | `User` | UInt32 key (users) | read only when `UseUserTokens`; key k = row k − 1 of the user code table |
///
/// | Output column | Type | |
/// |---|---|---|
/// | `RecommendedItems` | interaction rows: vector of the item key type (with its key values); history rows: vector of UInt32 item key values | top-K, best first, always existing items |
/// | `Scores` | vector of Single | similarity (cosine, or dot product with `Similarity = DotProduct`) of each item's CF embedding to the encoded request |
///
/// Training (history rows): with user tokens, rows with the same user key are merged into that user's training set
/// (users without rows get an empty set); without them, every row is its own set. Item key k is row k − 1 of the CF
/// item embeddings and of the item code table, so the history column's key count must equal the number of embeddings
/// (fit the key mapping with `keyData` in embedding order). Training rows with key 0 or an out-of-range key are rejected.
///
/// Serving: history keys 0 (unseen by the key mapping) or beyond the items are skipped; an empty history (or one
/// that is all skipped) still gets recommendations from the user's codes alone, or, without user tokens, the same
/// prompt-only ranking for every such row. With user tokens, a user key 0 or beyond the user code table gives empty
/// `RecommendedItems` and `Scores`.
/// ]]></format>
/// </remarks>
public sealed class GenerativeRetrievalEstimator : IEstimator<GenerativeRetrievalTransformer>
{
    private readonly MLContext _mlContext;
    private readonly SemanticIdTable? _userCodes;
    private readonly SemanticIdTable? _itemCodes;
    private readonly float[]? _cfItemEmbeddings;
    private readonly int _cfDimension;
    private readonly int _itemCount;
    private readonly GenerativeRetrievalOptions _options;

    /// <summary>
    /// Creates the estimator for interaction rows, the last stage of one pipeline: it reads users, items, timestamps, the
    /// CF item embeddings and the item and user codes from columns (<see cref="GenerativeRetrievalOptions.UserColumnName"/>,
    /// default <c>UserId</c>; <see cref="GenerativeRetrievalOptions.ItemColumnName"/>;
    /// <see cref="GenerativeRetrievalOptions.TimestampColumnName"/>; <see cref="GenerativeRetrievalOptions.ItemEmbeddingColumnName"/>;
    /// <see cref="GenerativeRetrievalOptions.SemanticIdColumnName"/>; <see cref="GenerativeRetrievalOptions.UserSemanticIdColumnName"/>),
    /// so it appends after the collaborative stage and the item (and user) tokenizer stages.
    /// </summary>
    /// <exception cref="ArgumentException">Empty column names.</exception>
    public GenerativeRetrievalEstimator(MLContext mlContext, GenerativeRetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _options.UserColumnName ??= "UserId";
        RequireName(_options.UserColumnName, nameof(options.UserColumnName));
        RequireName(_options.ItemColumnName, nameof(options.ItemColumnName));
        RequireName(_options.ItemEmbeddingColumnName, nameof(options.ItemEmbeddingColumnName));
        RequireName(_options.RecommendedItemsColumnName, nameof(options.RecommendedItemsColumnName));
        RequireName(_options.ScoresColumnName, nameof(options.ScoresColumnName));
        if (_options.UseHistoryTokens)
        {
            RequireName(_options.SemanticIdColumnName, nameof(options.SemanticIdColumnName));
        }

        if (_options.UseUserTokens)
        {
            RequireName(_options.UserSemanticIdColumnName, nameof(options.UserSemanticIdColumnName));
        }

        _mlContext = mlContext;
        WeightsCarrier.RegisterContracts(mlContext);
    }

    /// <summary>Creates the estimator for history rows; the arguments are those of the trainer's <c>GenerativeRetrievalTrainer.Train</c>.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="userCodes">Codes of every user (row = user key − 1); required when <see cref="GenerativeRetrievalOptions.UseUserTokens"/>.</param>
    /// <param name="itemCodes">Codes of every item (row = item key − 1); required when <see cref="GenerativeRetrievalOptions.UseHistoryTokens"/>.</param>
    /// <param name="cfItemEmbeddings">Fixed CF item embeddings, row-major [items × cfDimension] (row = item key − 1); saved with the model.</param>
    /// <param name="cfDimension">Length of one CF embedding.</param>
    /// <param name="options">Model, training and column options.</param>
    /// <exception cref="ArgumentException">Empty column names, or inputs that do not fit together (see the trainer).</exception>
    public GenerativeRetrievalEstimator(MLContext mlContext, SemanticIdTable? userCodes, SemanticIdTable? itemCodes, float[] cfItemEmbeddings, int cfDimension,
        GenerativeRetrievalOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _options.UserColumnName ??= "User";
        RequireName(_options.HistoryColumnName, nameof(options.HistoryColumnName));
        RequireName(_options.RecommendedItemsColumnName, nameof(options.RecommendedItemsColumnName));
        RequireName(_options.ScoresColumnName, nameof(options.ScoresColumnName));
        if (_options.UseUserTokens)
        {
            RequireName(_options.UserColumnName, nameof(options.UserColumnName));
        }

        if (_options.UseUserCodeAnchor)
        {
            throw new ArgumentException("UseUserCodeAnchor needs the CF user embeddings as the decoder's target, which history rows do not carry: use the interaction-rows estimator (built from options alone) after the collaborative stage, or the trainer with cfUserEmbeddings.", nameof(options));
        }

        // Fail at construction, not after reading the data: these checks need no rows.
        _itemCount = RetrievalInputs.CheckEmbeddings(cfItemEmbeddings, cfDimension);
        RetrievalInputs.CheckCodes(userCodes, itemCodes, options, 0, _itemCount);
        _mlContext = mlContext;
        _userCodes = userCodes;
        _itemCodes = itemCodes;
        _cfItemEmbeddings = cfItemEmbeddings;
        _cfDimension = cfDimension;
        WeightsCarrier.RegisterContracts(mlContext);
    }

    /// <summary>The result of the last <see cref="Fit"/>'s training loop.</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <summary>True when this estimator reads interaction rows (built without CF embeddings).</summary>
    private bool ReadsInteractionRows => _cfItemEmbeddings is null;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">A key column's key count does not match the embeddings or the user code table.</exception>
    /// <exception cref="ArgumentException">No rows, no training item at all, or a row with key 0 or an out-of-range key.</exception>
    public GenerativeRetrievalTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ReadsInteractionRows)
        {
            return FitInteractionRows(input);
        }

        CheckColumns(input.Schema);
        RetrievalTrainingSets sets = RetrievalTrainingSets.Read(input, _options, _itemCount, _userCodes?.ItemCount ?? 0);
        GenerativeRetrievalModel model = GenerativeRetrievalTrainer.Train(_mlContext, _userCodes, _itemCodes, _cfItemEmbeddings!, _cfDimension,
            sets.TrainSets, sets.Validation.Count > 0 ? sets.Validation : null, _options, out TrainingResult result);
        LastTrainingResult = result;
        return new GenerativeRetrievalTransformer(_mlContext, model, _cfItemEmbeddings!, _options, null, input) { TrainingResult = result };
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong kind (the message names it).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (ReadsInteractionRows)
        {
            return GetInteractionRowsSchema(inputSchema);
        }

        SchemaShape.Column history = inputSchema.FirstOrDefault(c => c.Name == _options.HistoryColumnName);
        if (history.Name is null || !history.IsKey || history.Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.HistoryColumnName}' must be a vector of item keys.");
        }

        if (_options.UseUserTokens)
        {
            SchemaShape.Column user = inputSchema.FirstOrDefault(c => c.Name == _options.UserColumnName);
            if (user.Name is null || !user.IsKey || user.Kind != SchemaShape.Column.VectorKind.Scalar)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.UserColumnName}' must be a scalar user key column (UseUserTokens is on).");
            }
        }

        // The real chain's schema does not depend on the blob's content, so a placeholder model id will do.
        byte[] placeholder = { 0 };
        return BuildServingPipeline(_mlContext, _options, ModelBlobCache.ComputeId(GenerativeRetrievalBlob.Kind, placeholder), placeholder).GetOutputSchema(inputSchema);
    }

    /// <summary>The public chain a trained model is served and saved as (history rows; see <see cref="RetrievalServingChain"/>).</summary>
    internal static IEstimator<ITransformer> BuildServingPipeline(MLContext ml, GenerativeRetrievalOptions options, string modelId, byte[] blob) =>
        RetrievalServingChain.Build(ml, options, modelId, blob, null);

    private GenerativeRetrievalTransformer FitInteractionRows(IDataView input)
    {
        RetrievalInteractionRows rows = RetrievalInteractionRows.Read(input, _options);
        if (_options.PredictionHistoryColumnName is { } historyColumn)
        {
            DataViewSchema.Column history = input.Schema.GetColumnOrNull(historyColumn)
                ?? throw new ArgumentOutOfRangeException(nameof(input), $"Prediction history column '{historyColumn}' was not found in the input.");
            if (history.Type is not VectorDataViewType { ItemType: KeyDataViewType { RawType: var raw } } || raw != typeof(uint))
            {
                throw new ArgumentOutOfRangeException(nameof(input), $"Column '{historyColumn}' must be a vector of UInt32 item keys, but is {history.Type}.");
            }

            Data.SchemaChecks.RequireSameKeys(input.Schema, historyColumn, _options.ItemColumnName);
        }

        (int[][] trainSets, List<EvaluationCase> validation) = rows.TrainingSets(_options.HoldOutLastItemForValidation);
        GenerativeRetrievalModel model = GenerativeRetrievalTrainer.Train(_mlContext, rows.UserCodes, rows.ItemCodes, rows.CfItemEmbeddings, rows.CfDimension, rows.CfUserEmbeddings,
            trainSets, validation.Count > 0 ? validation : null, _options, out TrainingResult result);
        LastTrainingResult = result;
        // The stored histories are the full time-ordered sequences: serving a user ranks from everything the model saw.
        var layout = new GenerativeServingLayout(input.Schema[_options.ItemColumnName], rows.Sequences);
        return new GenerativeRetrievalTransformer(_mlContext, model, rows.CfItemEmbeddings, _options, layout, input) { TrainingResult = result };
    }

    private SchemaShape GetInteractionRowsSchema(SchemaShape inputSchema)
    {
        RequireShape(inputSchema, _options.UserColumnName!, scalar: true, key: true, "a scalar user key column (use MapValueToKey)");
        RequireShape(inputSchema, _options.ItemColumnName, scalar: true, key: true, "a scalar item key column (use MapValueToKey)");
        RequireShape(inputSchema, _options.ItemEmbeddingColumnName, scalar: false, key: false, "a known-size vector of Single (the collaborative stage's ItemEmbedding output)");
        if (_options.UseHistoryTokens)
        {
            RequireShape(inputSchema, _options.SemanticIdColumnName, scalar: false, key: false, "a vector of UInt32 codes (the item tokenizer's SemanticId output)");
        }

        if (_options.UseUserTokens)
        {
            RequireShape(inputSchema, _options.UserSemanticIdColumnName, scalar: false, key: false, "a vector of UInt32 codes (a user tokenizer stage's output)");
        }

        if (_options.UseUserCodeAnchor)
        {
            RequireShape(inputSchema, _options.UserEmbeddingColumnName, scalar: false, key: false, "a known-size vector of Single (the collaborative stage's UserEmbedding output; UseUserCodeAnchor is on)");
        }

        if (_options.PredictionHistoryColumnName is { } history)
        {
            RequireShape(inputSchema, history, scalar: false, key: true, "a vector of item keys");
        }

        // The shape of the chain a trained model is served as, built over placeholders (one item, no users).
        byte[] placeholder = { 0 };
        var layout = new GenerativeServingLayout(ItemKeyOutput.Placeholder(), Array.Empty<int[]>());
        return RetrievalServingChain.Build(_mlContext, _options, ModelBlobCache.ComputeId(GenerativeRetrievalBlob.Kind, placeholder), placeholder, layout).GetOutputSchema(inputSchema);
    }

    private static void RequireShape(SchemaShape schema, string name, bool scalar, bool key, string what)
    {
        SchemaShape.Column column = schema.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found.");
        }

        if ((column.Kind == SchemaShape.Column.VectorKind.Scalar) != scalar || (key && !column.IsKey))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' must be {what}.");
        }
    }

    private void CheckColumns(DataViewSchema schema)
    {
        string historyName = _options.HistoryColumnName;
        DataViewSchema.Column history = schema.GetColumnOrNull(historyName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{historyName}' was not found.");
        if (history.Type is not VectorDataViewType { ItemType: KeyDataViewType itemKey } || itemKey.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{historyName}' must be a vector of UInt32 item keys, but is {history.Type}.");
        }

        if (itemKey.Count != (ulong)_itemCount)
        {
            throw new InvalidOperationException($"Column '{historyName}' has {itemKey.Count} item keys but there are {_itemCount} CF item embeddings; fit the key mapping with keyData in embedding order.");
        }

        if (!_options.UseUserTokens)
        {
            return;
        }

        string userName = _options.UserColumnName!;
        DataViewSchema.Column user = schema.GetColumnOrNull(userName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{userName}' was not found (UseUserTokens is on).");
        if (user.Type is not KeyDataViewType userKey || userKey.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{userName}' must be a scalar UInt32 user key column, but is {user.Type}.");
        }

        int userCount = _userCodes!.ItemCount; // non-null: the constructor's CheckCodes requires it with user tokens
        if (userKey.Count > (ulong)userCount)
        {
            throw new InvalidOperationException($"Column '{userName}' has {userKey.Count} user keys but the user code table covers {userCount} users; fit the key mapping with keyData in code-table order.");
        }
    }

    private static void RequireName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{field} must name a column.", "options");
        }
    }
}
