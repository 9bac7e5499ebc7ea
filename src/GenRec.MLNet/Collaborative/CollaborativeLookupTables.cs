using Microsoft.ML;

namespace GenRec.MLNet.Collaborative;

/// <summary>The embedding MapValue tables of a collaborative transformer and how its ranking columns are made.</summary>
internal sealed record CollaborativeLookupTables(IDataView UserEmbeddings, IDataView ItemEmbeddings, CollaborativeRanking Ranking);
