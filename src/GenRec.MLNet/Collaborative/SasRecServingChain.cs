using GenRec.MLNet.Data;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// The public ML.NET chain a trained SASRec ranks through, fitted and loaded alike: the user's stored training
/// history (a MapValue table in the zip), the row's own history when <see cref="CollaborativeEmbeddingOptions.PredictionHistoryColumnName"/>
/// is set, the model blob (<see cref="WeightsCarrier"/>), the compute mapping (<see cref="SasRecRecommendMappingFactory"/>),
/// then the ranked raw keys as a vector of the item key type (<see cref="ItemKeyOutput"/>).
/// </summary>
internal static class SasRecServingChain
{
    /// <summary>What the serving chain needs from a trained model: its blob and every user's training history.</summary>
    public static SasRecRanking FromModel(MLContext ml, CollaborativeEmbeddingModel model, CollaborativeEmbeddingOptions options)
    {
        var network = model.SequenceNetwork ?? throw new InvalidOperationException("Only a SASRec model is served by encoding histories.");
        byte[] blob = SasRecModelBlob.Save(network, model.ItemCount, options);
        var histories = new uint[model.UserCount][];
        for (int user = 0; user < model.UserCount; user++)
        {
            histories[user] = model.GetTrainingHistory(user).Select(item => (uint)item + 1).ToArray();
        }

        return new SasRecRanking(ModelBlobCache.ComputeId(SasRecModelBlob.Kind, blob), blob, HistoryTable(ml, histories));
    }

    /// <summary>A stand-in with no users and a dummy blob: enough for ML.NET to compute the chain's output shape.</summary>
    public static SasRecRanking Placeholder(MLContext ml)
    {
        byte[] blob = { 0 };
        return new SasRecRanking(ModelBlobCache.ComputeId(SasRecModelBlob.Kind, blob), blob, HistoryTable(ml, Array.Empty<uint[]>()));
    }

    /// <summary>The transforms that add the ranking columns (<c>RecommendedItems</c>, <c>Scores</c>) and drop every column they used inside.</summary>
    public static IEstimator<ITransformer> Create(MLContext ml, CollaborativeEmbeddingOptions options, SasRecRanking ranking, DataViewSchema.Column itemKeys)
    {
        const string user = SasRecRecommendMappingFactory.UserColumn;
        const string stored = SasRecRecommendMappingFactory.StoredHistoryColumn;
        const string history = SasRecRecommendMappingFactory.HistoryColumn;
        IDataView table = ranking.StoredHistories;

        // Without a prediction-history column the request history is the stored one, so the compute step has one shape.
        IEstimator<ITransformer> requestHistory = options.PredictionHistoryColumnName is { } column
            ? ml.Transforms.Conversion.ConvertType(history, column, DataKind.UInt32)
            : ml.Transforms.CopyColumns(history, stored);

        return ml.Transforms.Conversion.ConvertType(user, options.UserColumnName, DataKind.UInt32)
            .Append(ml.Transforms.Conversion.MapValue(stored, table, table.Schema[LookupTables.KeyColumn], table.Schema[LookupTables.ValueColumn], options.UserColumnName))
            .Append(requestHistory)
            .Append(WeightsCarrier.Create(ml, ranking.ModelId, ranking.Blob))
            .Append(ml.Transforms.CustomMapping(new SasRecRecommendMappingFactory().GetMapping(), SasRecRecommendMappingFactory.Contract))
            .Append(ItemKeyOutput.Create(ml, itemKeys, SasRecRecommendMappingFactory.ItemsOutputColumn, options.RecommendedItemsColumnName))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, SasRecRecommendMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(
                user, stored, history, SasRecRecommendMappingFactory.ItemsOutputColumn, SasRecRecommendMappingFactory.ScoresOutputColumn,
                WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName));
    }

    /// <summary>
    /// The prediction-history column, when configured, must be a vector of UInt32 keys of the item column's mapping:
    /// keys of another mapping would silently name other items.
    /// </summary>
    public static void CheckHistoryColumn(DataViewSchema schema, CollaborativeEmbeddingOptions options, DataViewSchema.Column itemKeys)
    {
        if (options.PredictionHistoryColumnName is not { } name)
        {
            return;
        }

        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Prediction history column '{name}' was not found; it must be in the training data too (its values there are ignored).");
        if (column.Type is not VectorDataViewType { ItemType: KeyDataViewType key } || key.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Prediction history column '{name}' must be a vector of UInt32 item keys (MapValueToKey with the item mapping), but is {column.Type}.");
        }

        SchemaChecks.RequireSameKeys(itemKeys, column);
    }

    /// <summary>As <see cref="CheckHistoryColumn"/>, on the shape an estimator sees before fitting.</summary>
    public static void CheckHistoryShape(SchemaShape schema, CollaborativeEmbeddingOptions options)
    {
        if (options.PredictionHistoryColumnName is not { } name)
        {
            return;
        }

        SchemaShape.Column column = schema.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Prediction history column '{name}' was not found.");
        }

        if (!column.IsKey || column.Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Prediction history column '{name}' must be a vector of UInt32 item keys, but is {column.ItemType}{(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : " vector")}.");
        }
    }

    private static IDataView HistoryTable(MLContext ml, uint[][] histories) =>
        LookupTables.KeyToVector(ml, histories, 0, Array.Empty<uint>(), NumberDataViewType.UInt32);
}
