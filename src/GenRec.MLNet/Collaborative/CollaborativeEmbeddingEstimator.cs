using GenRec.MLNet.Data;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// Learns collaborative user and item embeddings from (user key, item key[, timestamp]) rows with
/// MF-BPR, LightGCN or SASRec on TorchSharp, and ranks items for users.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// | Input column | Type | |
/// |---|---|---|
/// | `UserId` | key (UInt32) | the user |
/// | `ItemId` | key (UInt32) | the item |
/// | timestamp (optional) | Single, Double, Int32 or Int64 | orders each user's history (SASRec) |
/// | prediction history (optional, SASRec) | vector of item keys | a history a prediction row brings, ranked instead of the user's training history |
///
/// | Output column | Type | |
/// |---|---|---|
/// | `UserEmbedding` | vector of Single (Dimension) | zero vector for key 0 |
/// | `ItemEmbedding` | vector of Single (Dimension) | zero vector for key 0 |
/// | `RecommendedItems` | vector of the item key type (with its key values) | top-K, best first; empty for key 0 (SASRec: unless the row brings a history) |
/// | `Scores` | vector of Single | scores of `RecommendedItems` |
///
/// MF/LightGCN rankings are computed at `Fit` and looked up; SASRec encodes the history when a row is scored, so a loaded
/// model ranks histories it never saw.
/// Training runs through the shared TorchSharp loop (CUDA when available, else CPU); progress goes to `MLContext.Log`.
/// With `HoldOutLastItemForValidation` each user's last item is held out for early stopping on the ValidationMetric (Recall@10 by default).
/// ]]></format>
/// </remarks>
public sealed class CollaborativeEmbeddingEstimator : IEstimator<CollaborativeEmbeddingTransformer>
{
    private readonly MLContext _mlContext;
    private readonly CollaborativeEmbeddingOptions _options;

    /// <summary>Creates the estimator; options are validated here so mistakes surface before any data is read.</summary>
    public CollaborativeEmbeddingEstimator(MLContext mlContext, CollaborativeEmbeddingOptions options)
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
    public CollaborativeEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckKeyColumn(input.Schema, _options.UserColumnName, null);
        CheckKeyColumn(input.Schema, _options.ItemColumnName, null);
        if (_options.TimestampColumnName != null && input.Schema.GetColumnOrNull(_options.TimestampColumnName) is null)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"Timestamp column '{_options.TimestampColumnName}' was not found in the input.");
        }

        // Before training, so a wrong column costs no epochs.
        SasRecServingChain.CheckHistoryColumn(input.Schema, _options, input.Schema[_options.ItemColumnName]);

        InteractionDataset dataset = InteractionDataViews.ToInteractionDataset(input, _options.UserColumnName, _options.ItemColumnName, _options.TimestampColumnName);
        if (dataset.InteractionCount == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(input));
        }

        if (dataset.Timestamps != null)
        {
            dataset = dataset.OrderByTime();
        }

        int[][] sequences = dataset.SequencesByUser();
        int seed = TorchEnvironment.ResolveSeed(_mlContext, _options.Seed, "CollaborativeEmbedding.Split");
        CollaborativeTrainingData data = _options.HoldOutLastItemForValidation
            ? CollaborativeTrainingData.WithLastItemHeldOut(dataset.UserCount, dataset.ItemCount, sequences, _options.MaxValidationUsers, seed)
            : new CollaborativeTrainingData(dataset.UserCount, dataset.ItemCount, sequences);

        CollaborativeEmbeddingModel model = CollaborativeEmbeddingTrainer.Train(_mlContext, data, _options, sequences, out TrainingResult result);
        LastTrainingResult = result;
        return new CollaborativeEmbeddingTransformer(_mlContext, model, _options, input) { TrainingResult = result };
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (string name in new[] { _options.UserColumnName, _options.ItemColumnName })
        {
            SchemaShape.Column column = inputSchema.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' was not found.");
            }

            if (!column.IsKey || column.Kind != SchemaShape.Column.VectorKind.Scalar)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{name}' must be a scalar key column (use MapValueToKey), but is {column.ItemType}{(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : " vector")}.");
            }
        }

        SasRecServingChain.CheckHistoryShape(inputSchema, _options);

        // The output shape is exactly that of the chain the transformer saves; empty tables (and, for SASRec, a
        // placeholder blob) of the right types let ML.NET compute it through its public API.
        CollaborativeRanking ranking = _options.Model == CollaborativeModelKind.SasRec
            ? SasRecServingChain.Placeholder(_mlContext)
            : new PrecomputedRanking(
                LookupTables.KeyToVector(_mlContext, Array.Empty<uint[]>(), 0, Array.Empty<uint>(), NumberDataViewType.UInt32),
                LookupTables.KeyToVector(_mlContext, Array.Empty<float[]>(), 0, Array.Empty<float>(), NumberDataViewType.Single));
        var emptyTables = new CollaborativeLookupTables(
            LookupTables.KeyToVector(_mlContext, Array.Empty<float[]>(), _options.Dimension, new float[_options.Dimension], NumberDataViewType.Single),
            LookupTables.KeyToVector(_mlContext, Array.Empty<float[]>(), _options.Dimension, new float[_options.Dimension], NumberDataViewType.Single),
            ranking);
        return BuildInnerPipeline(_mlContext, _options, emptyTables, ItemKeyOutput.Placeholder()).GetOutputSchema(inputSchema);
    }

    /// <summary>
    /// The public chain a trained model is served and saved as: MapValue lookups for the embeddings; for the ranking,
    /// MapValue lookups of precomputed lists (MF/LightGCN) or SASRec's compute step (<see cref="SasRecServingChain"/>);
    /// the ranked raw keys become a vector of <paramref name="itemKeys"/>' key type (with its key values, so
    /// MapKeyToValue gives the IDs back).
    /// </summary>
    internal static IEstimator<ITransformer> BuildInnerPipeline(MLContext mlContext, CollaborativeEmbeddingOptions options, CollaborativeLookupTables tables, DataViewSchema.Column itemKeys)
    {
        const string rawItems = "__GenRecRankedKeys";
        IEstimator<ITransformer> MapFrom(IDataView table, string output, string input) =>
            mlContext.Transforms.Conversion.MapValue(output, table, table.Schema[LookupTables.KeyColumn], table.Schema[LookupTables.ValueColumn], input);

        IEstimator<ITransformer> embeddings = MapFrom(tables.UserEmbeddings, options.UserEmbeddingColumnName, options.UserColumnName)
            .Append(MapFrom(tables.ItemEmbeddings, options.ItemEmbeddingColumnName, options.ItemColumnName));
        return tables.Ranking switch
        {
            PrecomputedRanking lookup => embeddings
                .Append(MapFrom(lookup.RecommendedItems, rawItems, options.UserColumnName))
                .Append(ItemKeyOutput.Create(mlContext, itemKeys, rawItems, options.RecommendedItemsColumnName))
                .Append(MapFrom(lookup.Scores, options.ScoresColumnName, options.UserColumnName))
                .Append(mlContext.Transforms.DropColumns(rawItems)),
            SasRecRanking sasRec => embeddings.Append(SasRecServingChain.Create(mlContext, options, sasRec, itemKeys)),
            _ => throw new ArgumentOutOfRangeException(nameof(tables), tables.Ranking, "Unknown ranking kind."),
        };
    }

    /// <summary>Checks that <paramref name="name"/> is a scalar UInt32 key column (of <paramref name="expectedCount"/> keys when given).</summary>
    internal static void CheckKeyColumn(DataViewSchema schema, string name, ulong? expectedCount) =>
        SchemaChecks.RequireKeyColumn(schema, name, expectedCount);
}
