namespace GenRec.Samples.ServeModel;

/// <summary>A response: who or what was asked about, and the items, best first.</summary>
public sealed record RecommendationResponse(string? User, IReadOnlyList<string>? History, IReadOnlyList<RecommendedItem> Items);
