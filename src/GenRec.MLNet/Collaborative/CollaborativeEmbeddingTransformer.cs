using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// The result of <see cref="CollaborativeEmbeddingEstimator"/>: maps a user key to the user embedding and
/// the top-K recommended item keys with scores, and an item key to the item embedding.
/// </summary>
/// <remarks>
/// <para>Output columns: <c>UserEmbedding</c> and <c>ItemEmbedding</c> (float vectors of the model dimension),
/// <c>RecommendedItems</c> (vector of the item key type with its key values, best first) and <c>Scores</c> (float vector).
/// Column names follow <see cref="CollaborativeEmbeddingOptions"/>.</para>
/// <para>Unseen keys: key 0 (missing/unseen by the key mapping) gives a zero embedding and an empty
/// recommendation list. MF/LightGCN rankings are precomputed at training time from each user's training history
/// (a lookup at serving time). SASRec rankings are computed per row by encoding a history: the row's own
/// (<see cref="CollaborativeEmbeddingOptions.PredictionHistoryColumnName"/>) when it names a known item, else the
/// user's training history; so an unknown user with a history gets recommendations too.</para>
/// <para>Persistence: <see cref="ICanSaveModel.Save"/> writes an equivalent chain of public ML.NET transforms:
/// <c>MapValue</c> tables inside the model zip and, for SASRec, the network (<see cref="Persistence.WeightsCarrier"/>)
/// and its compute mapping. <c>mlContext.Model.Load</c> therefore returns that chain (an <see cref="ITransformer"/>
/// with the same columns and values), not this type; the trained <see cref="Model"/> (embeddings, recommender) is
/// available on the object returned by <c>Fit</c>.</para>
/// </remarks>
public sealed class CollaborativeEmbeddingTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _inner;
    private readonly CollaborativeEmbeddingOptions _options;
    private readonly ulong _userKeyCount;
    private readonly ulong _itemKeyCount;
    private readonly DataViewSchema.Column _itemKeys;
    private readonly DataViewSchema.Column _userKeys;

    internal CollaborativeEmbeddingTransformer(MLContext mlContext, CollaborativeEmbeddingModel model, CollaborativeEmbeddingOptions options, IDataView trainingSample)
    {
        Model = model;
        _options = options;
        _userKeyCount = (ulong)model.UserCount;
        _itemKeyCount = (ulong)model.ItemCount;
        var tables = BuildTables(mlContext, model, options);
        _itemKeys = trainingSample.Schema[options.ItemColumnName];
        _userKeys = trainingSample.Schema[options.UserColumnName];
        _inner = CollaborativeEmbeddingEstimator.BuildInnerPipeline(mlContext, options, tables, _itemKeys).Fit(trainingSample);
    }

    /// <summary>How training went: loss and validation curve, best epoch, why it stopped.</summary>
    public Training.TrainingResult? TrainingResult { get; internal set; }

    /// <summary>The trained model: embeddings and an <see cref="IRecommender"/> over item indices (key − 1).</summary>
    public CollaborativeEmbeddingModel Model { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => _inner.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckKeyCounts(inputSchema);
        return _inner.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckKeyCounts(input.Schema);
        return _inner.Transform(input);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckKeyCounts(inputSchema);
        return _inner.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Writes the equivalent MapValue chain (tables inside the zip).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private void CheckKeyCounts(DataViewSchema schema)
    {
        CollaborativeEmbeddingEstimator.CheckKeyColumn(schema, _options.UserColumnName, _userKeyCount);
        CollaborativeEmbeddingEstimator.CheckKeyColumn(schema, _options.ItemColumnName, _itemKeyCount);

        // Same counts are not enough: another mapping of the same size numbers users or items differently.
        SchemaChecks.RequireSameKeys(_userKeys, schema[_options.UserColumnName]);
        SchemaChecks.RequireSameKeys(_itemKeys, schema[_options.ItemColumnName]);
        SasRecServingChain.CheckHistoryColumn(schema, _options, _itemKeys);
    }

    private static CollaborativeLookupTables BuildTables(MLContext mlContext, CollaborativeEmbeddingModel model, CollaborativeEmbeddingOptions options)
    {
        int d = model.Dimension;
        IDataView users = LookupTables.KeyToVector(mlContext, LookupTables.Rows(model.UserEmbeddings.Span, model.UserCount, d), d, new float[d], NumberDataViewType.Single);
        IDataView items = LookupTables.KeyToVector(mlContext, LookupTables.Rows(model.ItemEmbeddings.Span, model.ItemCount, d), d, new float[d], NumberDataViewType.Single);
        if (model.Kind == CollaborativeModelKind.SasRec)
        {
            // SASRec ranks whatever history a row brings, so it ships its network instead of precomputed lists.
            return new CollaborativeLookupTables(users, items, SasRecServingChain.FromModel(mlContext, model, options));
        }

        // Rankings: one batched pass over all users, stored as variable-length vectors (a user with fewer than
        // TopK candidates left gets a shorter list; key 0 gets an empty one).
        int k = options.TopK;
        var keys = new uint[model.UserCount][];
        var scores = new float[model.UserCount][];
        const int chunk = 1024;
        for (int start = 0; start < model.UserCount; start += chunk)
        {
            var requests = Enumerable.Range(start, Math.Min(chunk, model.UserCount - start))
                .Select(u => new RecommendationRequest(u, model.GetTrainingHistory(u).ToArray())).ToArray();
            int[][] ranked = model.Recommend(requests, k, options.ExcludeHistoryFromRecommendations, out float[][] rankedScores);
            for (int r = 0; r < ranked.Length; r++)
            {
                keys[start + r] = ranked[r].Select(item => (uint)item + 1).ToArray();
                scores[start + r] = rankedScores[r];
            }
        }

        IDataView rankedKeys = LookupTables.KeyToVector(mlContext, keys, 0, Array.Empty<uint>(), NumberDataViewType.UInt32);
        IDataView rankedScoresTable = LookupTables.KeyToVector(mlContext, scores, 0, Array.Empty<float>(), NumberDataViewType.Single);
        return new CollaborativeLookupTables(users, items, new PrecomputedRanking(rankedKeys, rankedScoresTable));
    }
}
