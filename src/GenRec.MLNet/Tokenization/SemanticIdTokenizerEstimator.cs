using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Learns semantic IDs with an RQ-VAE (TIGER) and LETTER's collaborative and diversity regularizers, with residual
/// k-means (no network), or with TokenRec's masked K-way tokenizer (<see cref="SemanticIdTokenizerOptions.Method"/>): rows with an item (or user)
/// key, a content vector and, for LETTER's regularizer, optionally a CF embedding. Rows are aggregated per key, so the
/// estimator appends to a pipeline over interaction rows (after the collaborative stage) as well as to item rows.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// | Input column | Type | |
/// |---|---|---|
/// | `ItemId` | UInt32 key | one row per item, or interaction rows (an item repeated once per event, always with the same vectors) |
/// | `Features` | known-size Single vector | the content vector |
/// | CF column (optional) | known-size Single vector | LETTER's collaborative signal (RQ-VAE); fused into the input (residual k-means, also read at prediction) |
///
/// | Output column | Type | |
/// |---|---|---|
/// | `SemanticId` | vector of UInt32 codes (RQ-VAE, residual k-means: Levels, plus one with ExtraLevel collision handling; K-way: Ways) | RQ-VAE, residual k-means: unique per item after collision handling; K-way: may be shared |
/// | `QuantizedVector` | vector of Single (code dimension; residual k-means: the input's) | RQ-VAE, residual k-means: sum of the chosen codes; K-way: their mean |
///
/// Rows with an unseen key (0) are tokenized from their content vector, so items (or users) added after training get
/// IDs without retraining. The RQ-VAE and K-way train through the shared TorchSharp loop; residual k-means needs no
/// loop. Progress goes to `MLContext.Log`.
/// ]]></format>
/// </remarks>
public sealed class SemanticIdTokenizerEstimator : IEstimator<SemanticIdTokenizerTransformer>
{
    private readonly MLContext _mlContext;
    private readonly SemanticIdTokenizerOptions _options;

    /// <summary>Creates the estimator; options are validated here.</summary>
    public SemanticIdTokenizerEstimator(MLContext mlContext, SemanticIdTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _mlContext = mlContext;
        _options = options;
    }

    /// <summary>The result of the last <see cref="Fit"/>'s training loop.</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <inheritdoc />
    public SemanticIdTokenizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ulong itemCount = CheckItemKeyColumn(input.Schema, _options.ItemColumnName, null);
        int dimension = CheckVectorColumn(input.Schema, _options.ContentColumnName);
        int cfDimension = _options.CollaborativeColumnName is { } cf ? CheckVectorColumn(input.Schema, cf) : 0;

        var content = new float[checked((int)itemCount * dimension)];
        float[]? collaborative = cfDimension > 0 ? new float[(int)itemCount * cfDimension] : null;
        var seen = new bool[itemCount];
        ReadRows(input, dimension, cfDimension, content, collaborative, seen);
        int missing = seen.Count(s => !s);
        if (missing > 0)
        {
            int first = Array.IndexOf(seen, false);
            throw new ArgumentException(
                $"Column '{_options.ItemColumnName}' declares {itemCount} items but {missing} have no row (first: key {first + 1}). Give every item a content vector.", nameof(input));
        }

        if (_options.Method == SemanticIdMethod.MaskedKWay)
        {
            MaskedKWayModel kWay = MaskedKWayTrainer.Train(_mlContext, content, (int)itemCount, dimension, _options.MaskedKWay, out TrainingResult kWayResult);
            LastTrainingResult = kWayResult;
            return new SemanticIdTokenizerTransformer(_mlContext, kWay.Codes, kWay.QuantizedVectors(kWay.Codes), kWay, _options, input) { TrainingResult = kWayResult };
        }

        if (_options.Method == SemanticIdMethod.ResidualKMeans)
        {
            ResidualKMeansModel kMeans = ResidualKMeansTrainer.Train(_mlContext, content, (int)itemCount, dimension, collaborative, cfDimension, _options.ResidualKMeans);
            LastTrainingResult = null; // no training loop: k-means has no epochs or curve
            return new SemanticIdTokenizerTransformer(_mlContext, kMeans.Codes, kMeans.QuantizedVectors(kMeans.Codes), kMeans, _options, input);
        }

        RqVaeModel model = RqVaeTrainer.Train(_mlContext, content, (int)itemCount, dimension, collaborative, cfDimension, _options.RqVae, out TrainingResult result);
        LastTrainingResult = result;
        return new SemanticIdTokenizerTransformer(_mlContext, model.Codes, model.QuantizedVectors, model, _options, input) { TrainingResult = result };
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column item = inputSchema.FirstOrDefault(c => c.Name == _options.ItemColumnName);
        if (item.Name is null || !item.IsKey || item.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.ItemColumnName}' must be a scalar key column (use MapValueToKey).");
        }

        SchemaShape.Column content = inputSchema.FirstOrDefault(c => c.Name == _options.ContentColumnName);
        if (content.Name is null || content.Kind != SchemaShape.Column.VectorKind.Vector || content.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{_options.ContentColumnName}' must be a known-size vector of Single.");
        }

        // Same output shape as the saved chain: item key -> variable-length code and quantized vectors.
        IDataView codeTable = Persistence.LookupTables.KeyToVector(_mlContext, Array.Empty<uint[]>(), 0, Array.Empty<uint>(), NumberDataViewType.UInt32);
        IDataView quantizedTable = Persistence.LookupTables.KeyToVector(_mlContext, Array.Empty<float[]>(), 0, Array.Empty<float>(), NumberDataViewType.Single);
        return _mlContext.Transforms.Conversion.MapValue(_options.SemanticIdColumnName, codeTable, codeTable.Schema[Persistence.LookupTables.KeyColumn], codeTable.Schema[Persistence.LookupTables.ValueColumn], _options.ItemColumnName)
            .Append(_mlContext.Transforms.Conversion.MapValue(_options.QuantizedColumnName, quantizedTable, quantizedTable.Schema[Persistence.LookupTables.KeyColumn], quantizedTable.Schema[Persistence.LookupTables.ValueColumn], _options.ItemColumnName))
            .GetOutputSchema(inputSchema);
    }

    internal static ulong CheckItemKeyColumn(DataViewSchema schema, string name, ulong? expectedCount) =>
        Data.SchemaChecks.RequireKeyColumn(schema, name, expectedCount, "the codes cover");

    private static int CheckVectorColumn(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found.");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' must be a known-size vector of Single, but is {column.Type}.");
        }

        return vector.Size;
    }

    private void ReadRows(IDataView input, int dimension, int cfDimension, float[] content, float[]? collaborative, bool[] seen)
    {
        var columns = new List<DataViewSchema.Column> { input.Schema[_options.ItemColumnName], input.Schema[_options.ContentColumnName] };
        if (collaborative != null)
        {
            columns.Add(input.Schema[_options.CollaborativeColumnName!]);
        }

        using DataViewRowCursor cursor = input.GetRowCursor(columns);
        ValueGetter<uint> getItem = cursor.GetGetter<uint>(input.Schema[_options.ItemColumnName]);
        ValueGetter<VBuffer<float>> getContent = cursor.GetGetter<VBuffer<float>>(input.Schema[_options.ContentColumnName]);
        ValueGetter<VBuffer<float>>? getCf = collaborative != null ? cursor.GetGetter<VBuffer<float>>(input.Schema[_options.CollaborativeColumnName!]) : null;
        uint key = 0;
        VBuffer<float> vector = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            row++;
            getItem(ref key);
            if (key == 0 || key > seen.Length)
            {
                throw new ArgumentException($"Row {row}: column '{_options.ItemColumnName}' has key {key}, which is missing or outside 1..{seen.Length}.", nameof(input));
            }

            int item = (int)key - 1;
            getContent(ref vector);
            if (seen[item])
            {
                // Interaction rows repeat an item once per event; its content must be the same every time.
                RequireSame(vector, content.AsSpan(item * dimension, dimension), _options.ContentColumnName, key, row);
                if (getCf != null)
                {
                    getCf(ref vector);
                    RequireSame(vector, collaborative.AsSpan(item * cfDimension, cfDimension), _options.CollaborativeColumnName!, key, row);
                }

                continue;
            }

            seen[item] = true;
            CopyFinite(vector, content.AsSpan(item * dimension, dimension), _options.ContentColumnName, row);
            if (getCf != null)
            {
                getCf(ref vector);
                CopyFinite(vector, collaborative.AsSpan(item * cfDimension, cfDimension), _options.CollaborativeColumnName!, row);
            }
        }

        if (row == 0)
        {
            throw new ArgumentException("The input has no rows.", nameof(input));
        }
    }

    private static void RequireSame(VBuffer<float> vector, ReadOnlySpan<float> first, string column, uint key, long row)
    {
        int i = 0;
        foreach (float value in vector.DenseValues())
        {
            if (value != first[i] && !(float.IsNaN(value) && float.IsNaN(first[i])))
            {
                throw new ArgumentException(
                    $"Row {row}: item key {key} has {value} at position {i} of column '{column}' but an earlier row of the same item has {first[i]}; an item has one content vector.");
            }

            i++;
        }
    }

    private static void CopyFinite(VBuffer<float> vector, Span<float> destination, string column, long row)
    {
        vector.CopyTo(destination);
        for (int i = 0; i < destination.Length; i++)
        {
            if (!float.IsFinite(destination[i]))
            {
                throw new ArgumentException($"Row {row}: column '{column}' has {destination[i]} at position {i}; vectors must be finite.");
            }
        }
    }
}
