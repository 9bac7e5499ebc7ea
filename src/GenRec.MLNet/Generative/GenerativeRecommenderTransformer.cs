using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tokenization;
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
    private ITransformer _inner;

    internal GenerativeRecommenderTransformer(MLContext mlContext, GenerativeRecommenderModel model, GenerativeRecommenderOptions options, IDataView schemaSample)
    {
        _mlContext = mlContext;
        Model = model;
        _options = options;
        _schemaSample = schemaSample;
        _inner = BuildChain();
    }

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
        _inner = BuildChain();
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _inner.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => _inner.Transform(input);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _inner.GetRowToRowMapper(inputSchema);

    /// <summary>Writes the equivalent public chain (weights, options and codes inside the zip).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private ITransformer BuildChain()
    {
        byte[] blob = GenerativeModelBlob.Save(Model);
        string id = ModelBlobCache.ComputeId(GenerativeModelBlob.Kind, blob);
        return GenerativeRecommenderEstimator.BuildServingPipeline(_mlContext, _options, id, blob).Fit(_schemaSample);
    }
}
