using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Recommends the next items for a history of item keys by generating their semantic IDs with
/// trie-constrained beam search: output <c>RecommendedItems</c> (UInt32 item key values, best first) and
/// <c>Scores</c>. Every returned ID is an existing item.
/// </summary>
/// <remarks>
/// <para>Persistence: <see cref="ICanSaveModel.Save"/> writes a chain of public ML.NET transforms that carries the
/// network weights, options and item codes inside the zip (<see cref="WeightsCarrier"/>) and a compute mapping
/// that rebuilds the model once per process. <c>mlContext.Model.Load</c> returns that chain; recommendations are
/// identical. Call <c>WeightsCarrier.RegisterContracts(mlContext)</c> (or touch any GenRec type) before loading in a
/// process that has not used GenRec.MLNet yet.</para>
/// <para>History keys 0 (unseen by the key mapping) or beyond the model's items are skipped; an empty history
/// still gets recommendations (the model's prior).</para>
/// </remarks>
public sealed class GenerativeRecommenderTransformer : ITransformer, IDisposable
{
    private readonly MLContext _mlContext;
    private readonly GenerativeRecommenderOptions _options;
    private readonly IDataView _schemaSample;
    private GenerativeServingLayout _layout;
    private ITransformer _inner;

    internal GenerativeRecommenderTransformer(MLContext mlContext, GenerativeRecommenderModel model, GenerativeRecommenderOptions options, GenerativeServingLayout layout, TrainingResult trainingResult, IDataView schemaSample)
    {
        _mlContext = mlContext;
        Model = model;
        _options = options;
        _layout = layout;
        TrainingResult = trainingResult;
        _schemaSample = schemaSample;
        _inner = BuildChain();
    }

    /// <summary>How training went: the loss and validation curve, the best epoch and why training stopped.</summary>
    public TrainingResult TrainingResult { get; }

    /// <summary>The trained model (an <see cref="Evaluation.IRecommender"/> over item indices = key − 1).</summary>
    public GenerativeRecommenderModel Model { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => _inner.IsRowToRowMapper;

    /// <summary>
    /// Makes items added after training recommendable without retraining: <paramref name="extended"/> keeps the
    /// existing items' codes and appends the new items' codes (e.g. from the tokenizer's content path). Later saves
    /// carry the extended codes.
    /// </summary>
    public void AddItems(SemanticIdTable extended)
    {
        Model.AddItems(extended);
        // The training key mapping does not name the new items: from now on the output keys are numbered over the
        // extended item count, without key values, and prediction inputs are checked against that count.
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(_layout.ItemKeys.Name, new KeyDataViewType(typeof(uint), extended.ItemCount));
        _layout = _layout with { ItemKeys = builder.ToSchema()[0] };
        _inner = BuildChain();
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckItemKeys(inputSchema);
        return _inner.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The rows are decoded in blocks: the cursor reads rows ahead and runs one batched beam search per block, with the
    /// same recommendations and scores as row by row. A <c>PredictionEngine</c> (<see cref="GetRowToRowMapper"/>) serves
    /// one row at a time.
    /// </remarks>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckItemKeys(input.Schema);
        return Serving.BlockServing.Transform(_inner, input, Serving.BlockServing.DefaultBlockSize);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckItemKeys(inputSchema);
        return _inner.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Writes the equivalent public chain (weights, options and codes inside the zip).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    /// <summary>The public chain this transformer serves and saves as.</summary>
    internal ITransformer ServingChain => _inner;

    /// <summary>The checks <see cref="Transform"/> makes before serving: the input's item keys are the training keys.</summary>
    internal void CheckInput(DataViewSchema schema) => CheckItemKeys(schema);

    /// <summary>The input's item keys must be the training item keys: same count and the same key values.</summary>
    private void CheckItemKeys(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.GetColumnOrNull(_layout.ItemKeys.Name) is { } items)
        {
            Data.SchemaChecks.RequireSameKeys(_layout.ItemKeys, items);
        }

        if (_options.PredictionHistoryColumnName is { } history && schema.GetColumnOrNull(history) is { } historyColumn)
        {
            Data.SchemaChecks.RequireSameKeys(_layout.ItemKeys, historyColumn);
        }
    }

    private ITransformer BuildChain()
    {
        byte[] blob = GenerativeModelBlob.Save(Model);
        string id = ModelBlobCache.ComputeId(GenerativeModelBlob.Kind, blob);
        return GenerativeRecommenderEstimator.BuildServingPipeline(_mlContext, _options, id, blob, _layout).Fit(_schemaSample);
    }
}
