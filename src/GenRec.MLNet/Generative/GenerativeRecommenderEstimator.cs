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
/// (A user key column for TIGER's hashed user token is not read by the estimator yet; `GenerativeRecommenderTrainer` supports it.)
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

        if (options.UseUserToken || options.UserColumnName != null)
        {
            throw new NotSupportedException(
                "The estimator does not read a user column yet: train with UseUserToken through GenerativeRecommenderTrainer, or leave UseUserToken off and UserColumnName null.");
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
        int[][] sequences = ReadHistories(input);
        if (sequences.Length == 0)
        {
            throw new ArgumentException("The input has no rows.", nameof(input));
        }

        var train = new int[sequences.Length][];
        var validation = new List<EvaluationCase>();
        for (int row = 0; row < sequences.Length; row++)
        {
            int[] s = sequences[row];
            bool holdOut = _options.HoldOutLastItemForValidation && s.Length >= 2;
            train[row] = holdOut ? s[..^1] : s;
            if (holdOut)
            {
                validation.Add(new EvaluationCase(row, train[row], new[] { s[^1] }));
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

        byte[] placeholder = { 0 };
        return BuildServingPipeline(_mlContext, _options, ModelBlobCache.ComputeId(GenerativeModelBlob.Kind, placeholder), placeholder).GetOutputSchema(inputSchema);
    }

    /// <summary>The public chain a trained model is served and saved as.</summary>
    internal static IEstimator<ITransformer> BuildServingPipeline(MLContext ml, GenerativeRecommenderOptions options, string modelId, byte[] blob)
    {
        return ml.Transforms.Conversion.ConvertType(GenerativeRecommendMappingFactory.HistoryColumn, options.HistoryColumnName, DataKind.UInt32)
            .Append(WeightsCarrier.Create(ml, modelId, blob))
            .Append(ml.Transforms.CustomMapping(new GenerativeRecommendMappingFactory().GetMapping(), GenerativeRecommendMappingFactory.Contract))
            .Append(ml.Transforms.CopyColumns(options.RecommendedItemsColumnName, GenerativeRecommendMappingFactory.ItemsOutputColumn))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, GenerativeRecommendMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(
                GenerativeRecommendMappingFactory.HistoryColumn, GenerativeRecommendMappingFactory.ItemsOutputColumn, GenerativeRecommendMappingFactory.ScoresOutputColumn,
                WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName));
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

    private int[][] ReadHistories(IDataView input)
    {
        var histories = new List<int[]>();
        DataViewSchema.Column column = input.Schema[_options.HistoryColumnName];
        using DataViewRowCursor cursor = input.GetRowCursor(new[] { column });
        ValueGetter<VBuffer<uint>> getter = cursor.GetGetter<VBuffer<uint>>(column);
        VBuffer<uint> buffer = default;
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

            histories.Add(items);
        }

        return histories.ToArray();
    }
}
