using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Recommends items for a history of item keys (and, with user tokens, a user key) by TokenRec-style generative
/// retrieval: outputs <c>RecommendedItems</c> (best first; trained on interaction rows, a vector of the item key type
/// with its key values, else UInt32 item key values) and <c>Scores</c> (the similarities ranked by: cosine, or dot product). Every returned ID is an
/// existing item. Trained on interaction rows, a user key alone is served from the user's stored training history.
/// </summary>
/// <remarks>
/// <para>Persistence: <see cref="ICanSaveModel.Save"/> writes a chain of public ML.NET transforms that carries the
/// network weights, options, code tables and CF item embeddings inside the zip (<see cref="WeightsCarrier"/>) and a
/// compute mapping (contract <c>GenRec.GenerativeRetrieve.v1</c>, or <c>GenRec.GenerativeRetrieveRows.v1</c> for interaction rows) that rebuilds the model once per process.
/// <c>mlContext.Model.Load</c> returns that chain, not this type; recommendations are identical. Call
/// <c>WeightsCarrier.RegisterContracts(mlContext)</c> (or touch any GenRec type) before loading in a process that has
/// not used GenRec.MLNet yet.</para>
/// <para>History keys 0 (unseen by the key mapping) or beyond the model's items are skipped; an empty history still
/// gets recommendations. With user tokens, a user key 0 or beyond the user code table gives empty outputs.</para>
/// </remarks>
public sealed class GenerativeRetrievalTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _inner;
    private readonly GenerativeServingLayout? _layout;
    private readonly GenerativeRetrievalOptions _options;

    // layout: for interaction rows, the item key column and the stored user histories; null for history rows.
    internal GenerativeRetrievalTransformer(MLContext mlContext, GenerativeRetrievalModel model, float[] cfItemEmbeddings, GenerativeRetrievalOptions options,
        GenerativeServingLayout? layout, IDataView schemaSample)
    {
        Model = model;
        _layout = layout;
        _options = options;
        // Serving reads a model rebuilt from these bytes (through ModelBlobCache), never Model itself, so the in-process
        // transformer and a loaded zip run exactly the same code on exactly the same weights.
        byte[] blob = GenerativeRetrievalBlob.Save(model, cfItemEmbeddings);
        string id = ModelBlobCache.ComputeId(GenerativeRetrievalBlob.Kind, blob);
        _inner = RetrievalServingChain.Build(mlContext, options, id, blob, layout).Fit(schemaSample);
    }

    /// <summary>The trained model (an <see cref="Evaluation.IRecommender"/> over item indices = key − 1, user indices = key − 1).</summary>
    public GenerativeRetrievalModel Model { get; }

    /// <summary>How training went: loss and validation curve, best epoch, why it stopped.</summary>
    public Training.TrainingResult? TrainingResult { get; internal set; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => _inner.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckItemKeys(inputSchema);
        return _inner.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckItemKeys(input.Schema);
        return _inner.Transform(input);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckItemKeys(inputSchema);
        return _inner.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Writes the equivalent public chain (weights, options, codes and CF embeddings inside the zip).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    /// <summary>
    /// Interaction rows: the input's item keys (and a prediction history) must be the training item keys, by value, so
    /// a mapping that numbers the same items differently is an error instead of wrong recommendations.
    /// </summary>
    private void CheckItemKeys(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (_layout is null)
        {
            return;
        }

        if (schema.GetColumnOrNull(_layout.ItemKeys.Name) is { } items)
        {
            Data.SchemaChecks.RequireSameKeys(_layout.ItemKeys, items);
        }

        if (_options.PredictionHistoryColumnName is { } history && schema.GetColumnOrNull(history) is { } historyColumn)
        {
            Data.SchemaChecks.RequireSameKeys(_layout.ItemKeys, historyColumn);
        }
    }
}
