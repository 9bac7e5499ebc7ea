using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Collaborative;

/// <summary>Input row of a saved SASRec's compute step (column names are internal to the saved chain).</summary>
public sealed class SasRecRecommendInput
{
    /// <summary>Model id (a content hash of the carried blob).</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>The model blob (only while this process has not built the model yet).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>The user's raw key value (1-based; 0 = a user the key mapping has not seen).</summary>
    [ColumnName(SasRecRecommendMappingFactory.UserColumn)]
    public uint User;

    /// <summary>The user's training history as raw item key values (from the table stored in the zip; empty for unknown users).</summary>
    [ColumnName(SasRecRecommendMappingFactory.StoredHistoryColumn)]
    public uint[] StoredHistory = Array.Empty<uint>();

    /// <summary>A history brought by the prediction row (raw item key values); empty = use the stored one.</summary>
    [ColumnName(SasRecRecommendMappingFactory.HistoryColumn)]
    public uint[] History = Array.Empty<uint>();
}
