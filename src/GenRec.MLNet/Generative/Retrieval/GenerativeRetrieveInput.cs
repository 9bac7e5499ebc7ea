using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>Input row of the generative retrieval compute step (column names are internal to the saved chain).</summary>
public sealed class GenerativeRetrieveInput
{
    /// <summary>Model id.</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>Weight bytes (only on a process's first row).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>History as raw item key values (1-based; 0 = unseen).</summary>
    [ColumnName(GenerativeRetrieveMappingFactory.HistoryColumn)]
    public uint[] History = Array.Empty<uint>();

    /// <summary>Raw user key value (1-based; 0 = unseen); always 0 for a model without user tokens.</summary>
    [ColumnName(GenerativeRetrieveMappingFactory.UserColumn)]
    public uint User;
}
