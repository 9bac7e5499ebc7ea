using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>Input row of the compute step of a retrieval model trained on interaction rows (column names are internal to the saved chain).</summary>
public sealed class GenerativeRetrieveRowsInput
{
    /// <summary>Model id.</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>Weight bytes (only on a chain's first rows).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>The user's raw key value (1-based; 0 = a user the key mapping has not seen).</summary>
    [ColumnName(GenerativeRetrieveMappingFactory.UserColumn)]
    public uint User;

    /// <summary>The user's training history as raw item key values (from the table stored in the zip; empty for unknown users).</summary>
    [ColumnName(GenerativeRetrieveRowsMappingFactory.StoredHistoryColumn)]
    public uint[] StoredHistory = Array.Empty<uint>();

    /// <summary>A history brought by the prediction row (raw item key values); empty = use the stored one.</summary>
    [ColumnName(GenerativeRetrieveMappingFactory.HistoryColumn)]
    public uint[] History = Array.Empty<uint>();
}
