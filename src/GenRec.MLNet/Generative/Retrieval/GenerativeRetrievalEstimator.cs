using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Trains TokenRec-style generative retrieval: a transformer encoder reads a prompt of the user's code tokens and the
/// code tokens of (up to <see cref="GenerativeRetrievalOptions.MaxHistoryItems"/>) history items, projects it into the
/// space of fixed collaborative (CF) item embeddings, and ranks every item by cosine similarity, so every
/// recommendation is an existing item.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// | Input column | Type | |
/// |---|---|---|
/// | `History` | vector of UInt32 keys (items) | a set: order does not matter, repeats count once |
/// | `User` | UInt32 key (users) | read only when `UseUserTokens`; key k = row k − 1 of the user code table |
///
/// | Output column | Type | |
/// |---|---|---|
/// | `RecommendedItems` | vector of UInt32 item key values | top-K, best first, always existing items |
/// | `Scores` | vector of Single | cosine similarity of each item's CF embedding to the encoded request |
///
/// Training: with user tokens, rows with the same user key are merged into that user's training set (users without
/// rows get an empty set); without them, every row is its own set. Item key k is row k − 1 of the CF item embeddings
/// and of the item code table, so the history column's key count must equal the number of embeddings (fit the key
/// mapping with `keyData` in embedding order). Training rows with key 0 or an out-of-range key are rejected.
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
    private readonly float[] _cfItemEmbeddings;
    private readonly int _cfDimension;
    private readonly int _itemCount;
    private readonly GenerativeRetrievalOptions _options;

    /// <summary>Creates the estimator; the arguments are those of <see cref="GenerativeRetrievalTrainer.Train"/>.</summary>
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
        RequireName(options.HistoryColumnName, nameof(options.HistoryColumnName));
        RequireName(options.RecommendedItemsColumnName, nameof(options.RecommendedItemsColumnName));
        RequireName(options.ScoresColumnName, nameof(options.ScoresColumnName));
        if (options.UseUserTokens)
        {
            RequireName(options.UserColumnName, nameof(options.UserColumnName));
        }

        // Fail at construction, not after reading the data: these checks need no rows.
        _itemCount = RetrievalInputs.CheckEmbeddings(cfItemEmbeddings, cfDimension);
        RetrievalInputs.CheckCodes(userCodes, itemCodes, options, 0, _itemCount);
        _mlContext = mlContext;
        _userCodes = userCodes;
        _itemCodes = itemCodes;
        _cfItemEmbeddings = cfItemEmbeddings;
        _cfDimension = cfDimension;
        _options = options.Clone();
        WeightsCarrier.RegisterContracts(mlContext);
    }

    /// <summary>The result of the last <see cref="Fit"/>'s training loop.</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="InvalidOperationException">A key column's key count does not match the embeddings or the user code table.</exception>
    /// <exception cref="ArgumentException">No rows, no training item at all, or a row with key 0 or an out-of-range key.</exception>
    public GenerativeRetrievalTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckColumns(input.Schema);
        RetrievalTrainingSets sets = RetrievalTrainingSets.Read(input, _options, _itemCount, _userCodes?.ItemCount ?? 0);
        GenerativeRetrievalModel model = GenerativeRetrievalTrainer.Train(_mlContext, _userCodes, _itemCodes, _cfItemEmbeddings, _cfDimension,
            sets.TrainSets, sets.Validation.Count > 0 ? sets.Validation : null, _options, out TrainingResult result);
        LastTrainingResult = result;
        return new GenerativeRetrievalTransformer(_mlContext, model, _cfItemEmbeddings, _options, input);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong kind (the message names it).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
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

    /// <summary>The public chain a trained model is served and saved as.</summary>
    internal static IEstimator<ITransformer> BuildServingPipeline(MLContext ml, GenerativeRetrievalOptions options, string modelId, byte[] blob)
    {
        // Key columns become their raw UInt32 values, so the compute mapping has one fixed input type.
        IEstimator<ITransformer> chain = ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.HistoryColumn, options.HistoryColumnName, DataKind.UInt32);
        if (options.UseUserTokens)
        {
            chain = chain.Append(ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.UserColumn, options.UserColumnName, DataKind.UInt32));
        }
        else
        {
            // The mapping's input type always has a user column; without user tokens it is a constant 0, so no user
            // column is demanded of the caller. Public transforms only: the carrier's marker (a float) feeds an
            // Expression that yields the text "0", which ConvertType parses to UInt32 (ML.NET has no standard
            // conversion from a float, nor from a signed integer, to UInt32).
            chain = chain.Append(ml.Transforms.CustomMapping(new MarkerMappingFactory().GetMapping(), WeightsCarrier.MarkerContract))
                .Append(ml.Transforms.Expression(GenerativeRetrieveMappingFactory.UserColumn, "x => \"0\"", WeightsCarrier.MarkerColumnName))
                .Append(ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.UserColumn, GenerativeRetrieveMappingFactory.UserColumn, DataKind.UInt32))
                .Append(ml.Transforms.DropColumns(WeightsCarrier.MarkerColumnName));
        }

        return chain.Append(WeightsCarrier.Create(ml, modelId, blob))
            .Append(ml.Transforms.CustomMapping(new GenerativeRetrieveMappingFactory().GetMapping(), GenerativeRetrieveMappingFactory.Contract))
            .Append(ml.Transforms.CopyColumns(options.RecommendedItemsColumnName, GenerativeRetrieveMappingFactory.ItemsOutputColumn))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, GenerativeRetrieveMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(
                GenerativeRetrieveMappingFactory.HistoryColumn, GenerativeRetrieveMappingFactory.UserColumn,
                GenerativeRetrieveMappingFactory.ItemsOutputColumn, GenerativeRetrieveMappingFactory.ScoresOutputColumn,
                WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName));
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

        string userName = _options.UserColumnName;
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
