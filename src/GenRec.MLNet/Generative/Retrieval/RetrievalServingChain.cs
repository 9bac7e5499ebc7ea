using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// The public ML.NET chain a trained retrieval model is served and saved as: only public transforms around a
/// <see cref="WeightsCarrier"/> and one compute mapping, so <c>Model.Load</c> needs nothing but the zip.
/// </summary>
internal static class RetrievalServingChain
{
    /// <summary>The chain for history rows (<paramref name="layout"/> null) or for interaction rows.</summary>
    public static IEstimator<ITransformer> Build(MLContext ml, GenerativeRetrievalOptions options, string modelId, byte[] blob, GenerativeServingLayout? layout) =>
        layout is null ? HistoryRows(ml, options, modelId, blob) : InteractionRows(ml, options, modelId, blob, layout);

    private static IEstimator<ITransformer> HistoryRows(MLContext ml, GenerativeRetrievalOptions options, string modelId, byte[] blob)
    {
        // Key columns become their raw UInt32 values, so the compute mapping has one fixed input type.
        IEstimator<ITransformer> chain = ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.HistoryColumn, options.HistoryColumnName, DataKind.UInt32);
        if (options.UseUserTokens)
        {
            chain = chain.Append(ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.UserColumn, options.UserColumnName, DataKind.UInt32));
        }
        else
        {
            // The mapping's input type always has a user column; without user tokens it is a constant 0, so no user
            // column is demanded of the caller. Public transforms only: the carrier's marker (a float) feeds an
            // Expression that yields the text "0", which ConvertType parses to UInt32 (ML.NET has no standard
            // conversion from a float, nor from a signed integer, to UInt32).
            chain = chain.Append(ml.Transforms.CustomMapping(new MarkerMappingFactory().GetMapping(), WeightsCarrier.MarkerContract))
                .Append(ml.Transforms.Expression(GenerativeRetrieveMappingFactory.UserColumn, "x => \"0\"", WeightsCarrier.MarkerColumnName))
                .Append(ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.UserColumn, GenerativeRetrieveMappingFactory.UserColumn, DataKind.UInt32))
                .Append(ml.Transforms.DropColumns(WeightsCarrier.MarkerColumnName));
        }

        return chain.Append(WeightsCarrier.Create(ml, modelId, blob))
            .Append(ml.Transforms.CustomMapping(new GenerativeRetrieveMappingFactory().GetMapping(), GenerativeRetrieveMappingFactory.Contract))
            .Append(ml.Transforms.CopyColumns(options.RecommendedItemsColumnName, GenerativeRetrieveMappingFactory.ItemsOutputColumn))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, GenerativeRetrieveMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(
                GenerativeRetrieveMappingFactory.HistoryColumn, GenerativeRetrieveMappingFactory.UserColumn,
                GenerativeRetrieveMappingFactory.ItemsOutputColumn, GenerativeRetrieveMappingFactory.ScoresOutputColumn,
                WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName));
    }

    private static IEstimator<ITransformer> InteractionRows(MLContext ml, GenerativeRetrievalOptions options, string modelId, byte[] blob, GenerativeServingLayout layout)
    {
        // The user's training history rides in the zip as a MapValue table (user key → item keys), so a loaded model
        // recommends from the user key alone; a non-empty prediction history column overrides it.
        string userColumn = options.UserColumnName!;
        int[][] stored = layout.UserHistories ?? Array.Empty<int[]>();
        IDataView table = LookupTables.KeyToVector(ml, stored.Select(items => items.Select(item => (uint)item + 1).ToArray()).ToArray(), 0, Array.Empty<uint>(), NumberDataViewType.UInt32);
        IEstimator<ITransformer> history = options.PredictionHistoryColumnName is { } own
            ? ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.HistoryColumn, own, DataKind.UInt32)
            : ml.Transforms.CopyColumns(GenerativeRetrieveMappingFactory.HistoryColumn, GenerativeRetrieveRowsMappingFactory.StoredHistoryColumn);
        return ml.Transforms.Conversion.ConvertType(GenerativeRetrieveMappingFactory.UserColumn, userColumn, DataKind.UInt32)
            .Append(ml.Transforms.Conversion.MapValue(GenerativeRetrieveRowsMappingFactory.StoredHistoryColumn, table, table.Schema[LookupTables.KeyColumn], table.Schema[LookupTables.ValueColumn], userColumn))
            .Append(history)
            .Append(WeightsCarrier.Create(ml, modelId, blob))
            .Append(ml.Transforms.CustomMapping(new GenerativeRetrieveRowsMappingFactory().GetMapping(), GenerativeRetrieveRowsMappingFactory.Contract))
            .Append(ItemKeyOutput.Create(ml, layout.ItemKeys, GenerativeRetrieveMappingFactory.ItemsOutputColumn, options.RecommendedItemsColumnName))
            .Append(ml.Transforms.CopyColumns(options.ScoresColumnName, GenerativeRetrieveMappingFactory.ScoresOutputColumn))
            .Append(ml.Transforms.DropColumns(
                GenerativeRetrieveMappingFactory.HistoryColumn, GenerativeRetrieveMappingFactory.UserColumn, GenerativeRetrieveRowsMappingFactory.StoredHistoryColumn,
                GenerativeRetrieveMappingFactory.ItemsOutputColumn, GenerativeRetrieveMappingFactory.ScoresOutputColumn,
                WeightsCarrier.ModelIdColumnName, WeightsCarrier.WeightsColumnName));
    }
}
