using Microsoft.ML;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// What the SASRec serving chain carries: the model blob and its id (<see cref="SasRecModelBlob"/>) and the MapValue
/// table user key → training history (raw item keys), so a user key alone still gets recommendations.
/// </summary>
internal sealed record SasRecRanking(string ModelId, byte[] Blob, IDataView StoredHistories) : CollaborativeRanking;
