using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Maps an item key to its semantic ID (vector of UInt32 codes, one per level) and quantized vector. When the
/// transformer holds a trained encoder, rows whose item key is unseen (0) or unknown are tokenized from their
/// content vector instead — new items get IDs without retraining.
/// </summary>
/// <remarks>
/// <para>Persistence: <see cref="ICanSaveModel.Save"/> writes an equivalent chain of public ML.NET transforms:
/// <c>MapValue</c> tables key → codes and key → quantized vector, and (with an encoder) the RQ-VAE or K-way weights or the k-means centroids carried
/// inside the zip plus a compute mapping (see <see cref="WeightsCarrier"/>). <c>mlContext.Model.Load</c> returns that
/// chain; it gives the same IDs.</para>
/// <para>Unseen items without an encoder (imported codes) get an empty ID. An encoder returns an empty ID for a
/// content vector of the wrong size or with NaN/Infinity.</para>
/// </remarks>
public sealed class SemanticIdTokenizerTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _inner;
    private readonly IDisposable? _trained;

    internal SemanticIdTokenizerTransformer(MLContext mlContext, SemanticIdTable codes, float[] quantized, RqVaeModel model, SemanticIdTokenizerOptions options, IDataView trainingSample)
        : this(mlContext, codes, quantized, model.Tokenizer, model, options, trainingSample)
    {
        Model = model;
    }

    internal SemanticIdTokenizerTransformer(MLContext mlContext, SemanticIdTable codes, float[] quantized, MaskedKWayModel model, SemanticIdTokenizerOptions options, IDataView trainingSample)
        : this(mlContext, codes, quantized, model, model, options, trainingSample)
    {
        MaskedKWayModel = model;
    }

    internal SemanticIdTokenizerTransformer(MLContext mlContext, SemanticIdTable codes, float[] quantized, ResidualKMeansModel model, SemanticIdTokenizerOptions options, IDataView trainingSample)
        : this(mlContext, codes, quantized, model, model, options, trainingSample)
    {
        ResidualKMeansModel = model;
    }

    private SemanticIdTokenizerTransformer(MLContext mlContext, SemanticIdTable codes, float[]? quantized, ISemanticIdEncoder? encoder, IDisposable? trained, SemanticIdTokenizerOptions options, IDataView trainingSample)
    {
        Codes = codes;
        _trained = trained;
        Statistics = CodeStatistics.Compute(codes);
        _inner = BuildChain(mlContext, codes, quantized, encoder, options).Fit(trainingSample);
    }

    /// <summary>How training went (loss and validation curve, why it stopped), or null for imported codes and residual k-means (no training loop).</summary>
    public Training.TrainingResult? TrainingResult { get; internal set; }

    /// <summary>The semantic ID of every item (index = key − 1), after collision handling.</summary>
    public SemanticIdTable Codes { get; }

    /// <summary>Code statistics of <see cref="Codes"/>: unique and collision rates, utilization, entropy per level.</summary>
    public CodeStatistics Statistics { get; }

    /// <summary>The trained RQ-VAE (codes before resolution, collision report, encoder), or null for imported codes and K-way.</summary>
    public RqVaeModel? Model { get; }

    /// <summary>The trained masked K-way tokenizer (way utilization, reconstruction error, encoder), or null for the other methods.</summary>
    public MaskedKWayModel? MaskedKWayModel { get; }

    /// <summary>The fitted residual k-means tokenizer (centroids, residual errors, collisions), or null for the other methods.</summary>
    public ResidualKMeansModel? ResidualKMeansModel { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => _inner.IsRowToRowMapper;

    /// <summary>
    /// A transformer that serves externally assigned codes (e.g. LETTER's released Beauty IDs imported with
    /// <see cref="SemanticIdCodeFileImporter"/>): item key → code vector, no content path.
    /// </summary>
    public static SemanticIdTokenizerTransformer FromCodes(MLContext mlContext, SemanticIdTable codes, IDataView itemKeys, string itemColumnName = "ItemId", string semanticIdColumnName = "SemanticId")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(itemKeys);
        var options = new SemanticIdTokenizerOptions { ItemColumnName = itemColumnName, SemanticIdColumnName = semanticIdColumnName };
        SemanticIdTokenizerEstimator.CheckItemKeyColumn(itemKeys.Schema, itemColumnName, (ulong)codes.ItemCount);
        return new SemanticIdTokenizerTransformer(mlContext, codes, null, null, null, options, itemKeys);
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _inner.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => _inner.Transform(input);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _inner.GetRowToRowMapper(inputSchema);

    /// <summary>Writes the equivalent public chain (tables and weights inside the zip).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <inheritdoc />
    public void Dispose() => _trained?.Dispose();

    private static IEstimator<ITransformer> BuildChain(MLContext ml, SemanticIdTable codes, float[]? quantized, ISemanticIdEncoder? encoder, SemanticIdTokenizerOptions options)
    {
        var codeRows = new uint[codes.ItemCount][];
        for (int item = 0; item < codes.ItemCount; item++)
        {
            codeRows[item] = codes.GetCodes(item).Select(c => (uint)c).ToArray();
        }

        IDataView codeTable = LookupTables.KeyToVector(ml, codeRows, 0, Array.Empty<uint>(), NumberDataViewType.UInt32);
        if (encoder is null)
        {
            return ml.Transforms.Conversion.MapValue(options.SemanticIdColumnName, codeTable, codeTable.Schema[LookupTables.KeyColumn], codeTable.Schema[LookupTables.ValueColumn], options.ItemColumnName);
        }

        IDataView quantizedTable = LookupTables.KeyToVector(ml, LookupTables.Rows(quantized!, codes.ItemCount, encoder.QuantizedDimension), 0, Array.Empty<float>(), NumberDataViewType.Single);
        byte[] blob = SemanticIdEncoderBlob.Save(encoder);
        string id = ModelBlobCache.ComputeId(SemanticIdEncoderBlob.KindOf(encoder), blob);
        return ml.Transforms.Conversion.MapValue(SemanticIdEncodeMappingFactory.KeyCodesColumn, codeTable, codeTable.Schema[LookupTables.KeyColumn], codeTable.Schema[LookupTables.ValueColumn], options.ItemColumnName)
            .Append(ml.Transforms.Conversion.MapValue(SemanticIdEncodeMappingFactory.KeyQuantizedColumn, quantizedTable, quantizedTable.Schema[LookupTables.KeyColumn], quantizedTable.Schema[LookupTables.ValueColumn], options.ItemColumnName))
            .Append(EncoderInput(ml, encoder, options))
            .Append(WeightsCarrier.Create(ml, id, blob))
            .Append(ml.Transforms.CustomMapping(new SemanticIdEncodeMappingFactory().GetMapping(), SemanticIdEncodeMappingFactory.Contract))
            .Append(ml.Transforms.CopyColumns(options.SemanticIdColumnName, SemanticIdEncodeMappingFactory.CodesOutputColumn))
            .Append(ml.Transforms.CopyColumns(options.QuantizedColumnName, SemanticIdEncodeMappingFactory.QuantizedOutputColumn))
            .Append(ml.Transforms.DropColumns(
                SemanticIdEncodeMappingFactory.KeyCodesColumn, SemanticIdEncodeMappingFactory.KeyQuantizedColumn, SemanticIdEncodeMappingFactory.ContentColumn,
                SemanticIdEncodeMappingFactory.CodesOutputColumn, SemanticIdEncodeMappingFactory.QuantizedOutputColumn,
                WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName));
    }

    // A residual k-means tokenizer with a fused CF column encodes content followed by CF; the others read the content alone.
    private static IEstimator<ITransformer> EncoderInput(MLContext ml, ISemanticIdEncoder encoder, SemanticIdTokenizerOptions options) =>
        encoder is ResidualKMeansModel { IsFused: true }
            ? ml.Transforms.Concatenate(SemanticIdEncodeMappingFactory.ContentColumn, options.ContentColumnName, options.CollaborativeColumnName!)
            : ml.Transforms.CopyColumns(SemanticIdEncodeMappingFactory.ContentColumn, options.ContentColumnName);
}
