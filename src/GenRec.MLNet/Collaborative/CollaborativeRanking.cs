namespace GenRec.MLNet.Collaborative;

/// <summary>
/// How a collaborative transformer fills its ranking columns: looked up (<see cref="PrecomputedRanking"/>, MF and
/// LightGCN, whose ranking depends only on the user key) or computed per row (<see cref="SasRecRanking"/>, whose
/// ranking depends on a history a prediction row may bring).
/// </summary>
internal abstract record CollaborativeRanking;
