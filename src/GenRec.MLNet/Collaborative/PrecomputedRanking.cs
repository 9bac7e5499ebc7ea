using Microsoft.ML;

namespace GenRec.MLNet.Collaborative;

/// <summary>MapValue tables user key → ranked raw item keys and user key → their scores, computed at training time.</summary>
internal sealed record PrecomputedRanking(IDataView RecommendedItems, IDataView Scores) : CollaborativeRanking;
