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
/// | Input column | Type | |
/// |---|---|---|
/// | `History` | vector of UInt32 keys (items, oldest first) | one row per user: the full training sequence |
/// | `UserColumnName` (optional) | UInt32 key (users) | with `UseUserToken`: TIGER's hashed user token; each user in one row |
///
/// | Output column | Type | |
/// |---|---|---|
/// | `RecommendedItems` | vector of UInt32 item key values | top-K, best first, always existing items |
/// | `Scores` | vector of Single | sum of the generated codes' log-probabilities |
///
/// Training examples are every prefix of each history (the next item is the target); with
/// `HoldOutLastItemForValidation` the last item of each history is held out for early stopping on Recall@10.
/// Item codes come from the tokenizer (`SemanticIdTokenizerTransformer.Codes`) or an imported table.
/// ]]></format>
/// </remarks>
public sealed class GenerativeRecommenderEstimator : IEstimator<GenerativeRecommenderTransformer>
{
    private readonly MLContext _mlContext;
    private readonly GenerativeRecommenderOptions _options;
    private readonly SemanticIdTable _codes;

    /// <summary>Creates the estimator for items described by <paramref name="codes"/> (index = item key − 1).</summary>
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

    /// <inheritdoc />
    public GenerativeRecommenderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckHistoryColumn(input.Schema, _options.HistoryColumnName, (ulong)_codes.ItemCount);
        ulong? userCount = _options.UserColumnName is { } userColumn
            ? Data.SchemaChecks.RequireKeyColumn(input.Schema, userColumn, null, "the users cover")
            : null;
        var (sequences, users) = ReadHistories(input);
        if (sequences.Length == 0)
        {
            throw new ArgumentException("The input has no rows.", nameof(input));
        }

        // The trainer knows a user by the position of its sequence (the index the user token hashes), so with a
        // user column each row goes to position key − 1; users without a row get an empty sequence (no examples).
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

        GenerativeRecommenderModel model = GenerativeRecommenderTrainer.Train(_mlContext, _codes, train, validation.Count > 0 ? validation : null, _options, out TrainingResult result);
        LastTrainingResult = result;
        return new GenerativeRecommenderTransformer(_mlContext, model, _options, input);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column history = inputSchema.FirstOrDefault(c => c.Name == _options.HistoryColumnName);
        if (history.Name is null || !history.IsKey || history.Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.HistoryColumnName}' must be a vector of item keys.");
        }

        if (_options.UserColumnName is { } userColumn)
        {
            SchemaShape.Column user = inputSchema.FirstOrDefault(c => c.Name == userColumn);
            if (user.Name is null || !user.IsKey || user.Kind != SchemaShape.Column.VectorKind.Scalar)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{userColumn}' must be a scalar user key column (use MapValueToKey).");
            }
        }

        byte[] placeholder = { 0 };
        return BuildServingPipeline(_mlContext, _options, ModelBlobCache.ComputeId(GenerativeModelBlob.Kind, placeholder), placeholder).GetOutputSchema(inputSchema);
    }

    /// <summary>The public chain a trained model is served and saved as.</summary>
    internal static IEstimator<ITransformer> BuildServingPipeline(MLContext ml, GenerativeRecommenderOptions options, string modelId, byte[] blob)
    {
        var internalColumns = new List<string>
        {
            GenerativeRecommendMappingFactory.HistoryColumn, GenerativeRecommendMappingFactory.ItemsOutputColumn, GenerativeRecommendMappingFactory.ScoresOutputColumn,
            WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName,
        };
        IEstimator<ITransformer> chain = ml.Transforms.Conversion.ConvertType(GenerativeRecommendMappingFactory.HistoryColumn, options.HistoryColumnName, DataKind.UInt32);
        if (options.UserColumnName is { } userColumn)
        {
            internalColumns.Add(GenerativeRecommendUserMappingFactory.UserColumn);
            chain = chain
                .Append(ml.Transforms.Conversion.ConvertType(GenerativeRecommendUserMappingFactory.UserColumn, userColumn, DataKind.UInt32))
                .Append(WeightsCarrier.Create(ml, modelId, blob))
                .Append(ml.Transforms.CustomMapping(new GenerativeRecommendUserMappingFactory().GetMapping(), GenerativeRecommendUserMappingFactory.Contract));
        }
        else
        {
            chain = chain
                .Append(WeightsCarrier.Create(ml, modelId, blob))
                .Append(ml.Transforms.CustomMapping(new GenerativeRecommendMappingFactory().GetMapping(), GenerativeRecommendMappingFactory.Contract));
        }

        return chain
            .Append(ml.Transforms.CopyColumns(options.RecommendedItemsColumnName, GenerativeRecommendMappingFactory.ItemsOutputColumn))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, GenerativeRecommendMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(internalColumns.ToArray()));
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
    private (int[][] Sequences, int[]? Users) ReadHistories(IDataView input)
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
                if (key == 0 || key > _codes.ItemCount)
                {
                    throw new ArgumentException($"Row {row}: column '{_options.HistoryColumnName}' holds key {key}, which is missing or outside 1..{_codes.ItemCount}.");
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
