using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Trains the TIGER/LETTER generative recommender: a transformer that reads a history of items (as semantic-ID
/// tokens) and generates the next item's semantic ID; items are recommended by prefix-trie constrained beam search.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// Two input layouts. **Interaction rows** (the one-pipeline layout, estimator built without a code table): one row
/// per user–item event, as the collaborative and tokenizer stages read them.
///
/// | Input column | Type | |
/// |---|---|---|
/// | `UserId` | UInt32 key (users) | groups the rows into histories; at prediction, the user whose training history is used |
/// | `ItemId` | UInt32 key (items) | the item of the event |
/// | `SemanticId` | vector of UInt32 codes | the item's semantic ID, e.g. the tokenizer stage's output |
/// | timestamp (optional) | Double, Single, Int64 or Int32 | orders each user's events (ties keep row order) |
/// | prediction history (optional) | vector of item keys | a history the model has not seen, used at prediction when non-empty |
///
/// **History rows** (estimator built with a `SemanticIdTable`, e.g. LETTER's imported codes): one row per user with
/// `History` (vector of item keys, oldest first) and, with `UseUserToken`, the user key column.
///
/// | Output column | Type | |
/// |---|---|---|
/// | `RecommendedItems` | vector of the item key type (with its key values) | top-K, best first, always existing items |
/// | `Scores` | vector of Single | sum of the generated codes' log-probabilities |
/// | `Score` (interaction rows) | Single | the row's (user, item) score on the same scale; NaN for item key 0 |
///
/// Training examples are every prefix of each history (the next item is the target); with
/// `HoldOutLastItemForValidation` the last item of each history is held out for early stopping on the ValidationMetric (Recall@10 by default).
/// ]]></format>
/// </remarks>
public sealed class GenerativeRecommenderEstimator : IEstimator<GenerativeRecommenderTransformer>
{
    private readonly MLContext _mlContext;
    private readonly GenerativeRecommenderOptions _options;
    private readonly SemanticIdTable? _codes;

    /// <summary>
    /// Creates the estimator for interaction rows: it reads users, items, timestamps and each item's semantic ID from
    /// columns (<see cref="GenerativeRecommenderOptions.UserColumnName"/>, default <c>UserId</c>;
    /// <see cref="GenerativeRecommenderOptions.ItemColumnName"/>; <see cref="GenerativeRecommenderOptions.SemanticIdColumnName"/>;
    /// <see cref="GenerativeRecommenderOptions.TimestampColumnName"/>), so it appends to a pipeline after the tokenizer stage.
    /// </summary>
    public GenerativeRecommenderEstimator(MLContext mlContext, GenerativeRecommenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        foreach (var (value, name) in new[] { (options.ItemColumnName, nameof(options.ItemColumnName)), (options.SemanticIdColumnName, nameof(options.SemanticIdColumnName)) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column.", nameof(options));
            }
        }

        _mlContext = mlContext;
        _options = options.Clone();
        _options.UserColumnName ??= "UserId";
        WeightsCarrier.RegisterContracts(mlContext);
    }

    /// <summary>
    /// Creates the estimator for history rows (one row per user, <see cref="GenerativeRecommenderOptions.HistoryColumnName"/>)
    /// with items described by <paramref name="codes"/> (index = item key − 1), e.g. LETTER's imported codes.
    /// </summary>
    public GenerativeRecommenderEstimator(MLContext mlContext, SemanticIdTable codes, GenerativeRecommenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (string.IsNullOrWhiteSpace(options.HistoryColumnName))
        {
            throw new ArgumentException("HistoryColumnName must name a column.", nameof(options));
        }

        if (options.UseUserToken != (options.UserColumnName != null))
        {
            throw new ArgumentException(
                $"UseUserToken ({options.UseUserToken}) and UserColumnName ({options.UserColumnName ?? "null"}) go together: the user token is read from the user key column. Set both, or neither.",
                nameof(options));
        }

        _mlContext = mlContext;
        _codes = codes;
        _options = options.Clone();
        WeightsCarrier.RegisterContracts(mlContext);
    }

    /// <summary>The result of the last <see cref="Fit"/>'s training loop.</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <summary>True when this estimator reads interaction rows (built without a code table).</summary>
    private bool ReadsInteractionRows => _codes is null;

    /// <inheritdoc />
    public GenerativeRecommenderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int[][] sequences;
        SemanticIdTable codes;
        int[]? users;
        DataViewSchema.Column itemKeys;
        if (_codes is null)
        {
            var histories = InteractionHistories.Read(input, _options);
            (sequences, codes, users) = (histories.Sequences, histories.Codes, null);
            itemKeys = input.Schema[_options.ItemColumnName];
            if (_options.PredictionHistoryColumnName is { } historyColumn)
            {
                CheckHistoryColumn(input.Schema, historyColumn, (ulong)codes.ItemCount);
                Data.SchemaChecks.RequireSameKeys(input.Schema, historyColumn, _options.ItemColumnName);
            }
        }
        else
        {
            codes = _codes;
            CheckHistoryColumn(input.Schema, _options.HistoryColumnName, (ulong)codes.ItemCount);
            if (_options.UserColumnName is { } userColumn)
            {
                Data.SchemaChecks.RequireKeyColumn(input.Schema, userColumn, null, "the users cover");
            }

            (sequences, users) = ReadHistories(input, codes);
            itemKeys = input.Schema[_options.HistoryColumnName];
        }

        if (sequences.Length == 0)
        {
            throw new ArgumentException("The input has no rows.", nameof(input));
        }

        // The trainer knows a user by the position of its sequence (the index the user token hashes), so with a
        // user column each row goes to position key − 1; users without a row get an empty sequence (no examples).
        ulong? userCount = _options.UserColumnName is { } name ? ((KeyDataViewType)input.Schema[name].Type).Count : null;
        var train = new int[userCount is { } count ? checked((int)count) : sequences.Length][];
        Array.Fill(train, Array.Empty<int>());
        var validation = new List<EvaluationCase>();
        for (int row = 0; row < sequences.Length; row++)
        {
            int[] s = sequences[row];
            int user = users?[row] ?? row;
            bool holdOut = _options.HoldOutLastItemForValidation && s.Length >= 2;
            train[user] = holdOut ? s[..^1] : s;
            if (holdOut)
            {
                validation.Add(new EvaluationCase(user, train[user], new[] { s[^1] }));
            }
        }

        GenerativeRecommenderModel model = GenerativeRecommenderTrainer.Train(_mlContext, codes, train, validation.Count > 0 ? validation : null, _options, out TrainingResult result);
        LastTrainingResult = result;
        var layout = new GenerativeServingLayout(itemKeys, ReadsInteractionRows ? sequences : null);
        return new GenerativeRecommenderTransformer(_mlContext, model, _options, layout, result, input);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (ReadsInteractionRows)
        {
            RequireShape(inputSchema, _options.ItemColumnName, SchemaShape.Column.VectorKind.Scalar, "a scalar item key column (use MapValueToKey)");
            RequireShape(inputSchema, _options.SemanticIdColumnName, null, "a vector of UInt32 codes (the tokenizer's SemanticId output)");
            if (_options.PredictionHistoryColumnName is { } history)
            {
                RequireShape(inputSchema, history, SchemaShape.Column.VectorKind.VariableVector, "a vector of item keys");
            }
        }
        else
        {
            SchemaShape.Column history = inputSchema.FirstOrDefault(c => c.Name == _options.HistoryColumnName);
            if (history.Name is null || !history.IsKey || history.Kind == SchemaShape.Column.VectorKind.Scalar)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.HistoryColumnName}' must be a vector of item keys.");
            }
        }

        if (_options.UserColumnName is { } userColumn)
        {
            RequireShape(inputSchema, userColumn, SchemaShape.Column.VectorKind.Scalar, "a scalar user key column (use MapValueToKey)");
        }

        // The shape of the chain a trained model is served as, built over placeholders (one item, no users).
        byte[] placeholder = { 0 };
        var layout = new GenerativeServingLayout(ItemKeyOutput.Placeholder(), ReadsInteractionRows ? Array.Empty<int[]>() : null);
        return BuildServingPipeline(_mlContext, _options, ModelBlobCache.ComputeId(GenerativeModelBlob.Kind, placeholder), placeholder, layout).GetOutputSchema(inputSchema);
    }

    /// <summary>The public chain a trained model is served and saved as.</summary>
    internal static IEstimator<ITransformer> BuildServingPipeline(MLContext ml, GenerativeRecommenderOptions options, string modelId, byte[] blob, GenerativeServingLayout layout)
    {
        var internalColumns = new List<string>
        {
            GenerativeRecommendMappingFactory.HistoryColumn, GenerativeRecommendMappingFactory.ItemsOutputColumn, GenerativeRecommendMappingFactory.ScoresOutputColumn,
            WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName,
        };
        IEstimator<ITransformer> chain;
        if (layout.UserHistories is { } stored)
        {
            // Interaction rows: the user's training history rides in the zip as a MapValue table (user key → item
            // keys), so a loaded model recommends from the user key alone; a prediction history column overrides it.
            string userColumn = options.UserColumnName!;
            internalColumns.Add(GenerativeRecommendUserMappingFactory.UserColumn);
            internalColumns.Add(GenerativeRecommendRowsMappingFactory.StoredHistoryColumn);
            internalColumns.Add(GenerativeRecommendRowsMappingFactory.ItemColumn);
            internalColumns.Add(GenerativeRecommendRowsMappingFactory.ScoreOutputColumn);
            IDataView table = LookupTables.KeyToVector(ml, stored.Select(items => items.Select(item => (uint)item + 1).ToArray()).ToArray(), 0, Array.Empty<uint>(), NumberDataViewType.UInt32);
            chain = ml.Transforms.Conversion.ConvertType(GenerativeRecommendUserMappingFactory.UserColumn, userColumn, DataKind.UInt32)
                .Append(ml.Transforms.Conversion.ConvertType(GenerativeRecommendRowsMappingFactory.ItemColumn, options.ItemColumnName, DataKind.UInt32))
                .Append(ml.Transforms.Conversion.MapValue(GenerativeRecommendRowsMappingFactory.StoredHistoryColumn, table, table.Schema[LookupTables.KeyColumn], table.Schema[LookupTables.ValueColumn], userColumn))
                .Append(options.PredictionHistoryColumnName is { } history
                    ? (IEstimator<ITransformer>)ml.Transforms.Conversion.ConvertType(GenerativeRecommendMappingFactory.HistoryColumn, history, DataKind.UInt32)
                    : ml.Transforms.CopyColumns(GenerativeRecommendMappingFactory.HistoryColumn, GenerativeRecommendRowsMappingFactory.StoredHistoryColumn))
                .Append(WeightsCarrier.Create(ml, modelId, blob))
                .Append(ml.Transforms.CustomMapping(new GenerativeRecommendRowsMappingFactory().GetMapping(), GenerativeRecommendRowsMappingFactory.Contract))
                .Append(ml.Transforms.CopyColumns(options.ScoreColumnName, GenerativeRecommendRowsMappingFactory.ScoreOutputColumn));
        }
        else if (options.UserColumnName is { } userColumn)
        {
            internalColumns.Add(GenerativeRecommendUserMappingFactory.UserColumn);
            chain = ml.Transforms.Conversion.ConvertType(GenerativeRecommendMappingFactory.HistoryColumn, options.HistoryColumnName, DataKind.UInt32)
                .Append(ml.Transforms.Conversion.ConvertType(GenerativeRecommendUserMappingFactory.UserColumn, userColumn, DataKind.UInt32))
                .Append(WeightsCarrier.Create(ml, modelId, blob))
                .Append(ml.Transforms.CustomMapping(new GenerativeRecommendUserMappingFactory().GetMapping(), GenerativeRecommendUserMappingFactory.Contract));
        }
        else
        {
            chain = ml.Transforms.Conversion.ConvertType(GenerativeRecommendMappingFactory.HistoryColumn, options.HistoryColumnName, DataKind.UInt32)
                .Append(WeightsCarrier.Create(ml, modelId, blob))
                .Append(ml.Transforms.CustomMapping(new GenerativeRecommendMappingFactory().GetMapping(), GenerativeRecommendMappingFactory.Contract));
        }

        return chain
            .Append(ItemKeyOutput.Create(ml, layout.ItemKeys, GenerativeRecommendMappingFactory.ItemsOutputColumn, options.RecommendedItemsColumnName))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, GenerativeRecommendMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(internalColumns.ToArray()));
    }

    private static void RequireShape(SchemaShape schema, string name, SchemaShape.Column.VectorKind? kind, string what)
    {
        SchemaShape.Column column = schema.FirstOrDefault(c => c.Name == name);
        bool keyNeeded = what.Contains("key", StringComparison.Ordinal);
        bool kindOk = kind is null ? column.Kind != SchemaShape.Column.VectorKind.Scalar
            : kind == SchemaShape.Column.VectorKind.Scalar ? column.Kind == SchemaShape.Column.VectorKind.Scalar : column.Kind != SchemaShape.Column.VectorKind.Scalar;
        if (column.Name is null || !kindOk || (keyNeeded && !column.IsKey))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), column.Name is null ? $"Input column '{name}' was not found." : $"Column '{name}' must be {what}.");
        }
    }

    private static void CheckHistoryColumn(DataViewSchema schema, string name, ulong itemCount)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found.");
        if (column.Type is not VectorDataViewType { ItemType: KeyDataViewType key } || key.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' must be a vector of UInt32 item keys, but is {column.Type}.");
        }

        if (key.Count != itemCount)
        {
            throw new InvalidOperationException($"Column '{name}' has {key.Count} item keys but the semantic-ID table covers {itemCount} items; use the same item key mapping.");
        }
    }

    /// <summary>Each row's history as item indices, and (with a user column) each row's user index.</summary>
    private (int[][] Sequences, int[]? Users) ReadHistories(IDataView input, SemanticIdTable codes)
    {
        var histories = new List<int[]>();
        DataViewSchema.Column column = input.Schema[_options.HistoryColumnName];
        DataViewSchema.Column? userColumn = _options.UserColumnName is { } name ? input.Schema[name] : null;
        using DataViewRowCursor cursor = input.GetRowCursor(userColumn is { } u ? new[] { column, u } : new[] { column });
        ValueGetter<VBuffer<uint>> getter = cursor.GetGetter<VBuffer<uint>>(column);
        ValueGetter<uint>? getUser = userColumn is { } uc ? cursor.GetGetter<uint>(uc) : null;
        var users = getUser != null ? new List<int>() : null;
        var seenUsers = new HashSet<uint>();
        VBuffer<uint> buffer = default;
        uint userKey = 0;
        long row = 0;
        while (cursor.MoveNext())
        {
            row++;
            getter(ref buffer);
            var items = new int[buffer.Length];
            int i = 0;
            foreach (uint key in buffer.DenseValues())
            {
                if (key == 0 || key > codes.ItemCount)
                {
                    throw new ArgumentException($"Row {row}: column '{_options.HistoryColumnName}' holds key {key}, which is missing or outside 1..{codes.ItemCount}.");
                }

                items[i++] = (int)key - 1;
            }

            if (getUser != null)
            {
                getUser(ref userKey);
                if (userKey == 0)
                {
                    throw new ArgumentException($"Row {row}: column '{_options.UserColumnName}' has key 0 (a value missing from the user key mapping); every training row needs a known user.");
                }

                if (!seenUsers.Add(userKey))
                {
                    throw new ArgumentException($"Row {row}: user key {userKey} appears twice; give each user one row with the full history.");
                }

                users!.Add((int)userKey - 1);
            }

            histories.Add(items);
        }

        return (histories.ToArray(), users?.ToArray());
    }
}
