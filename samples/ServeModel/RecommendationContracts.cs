namespace GenRec.Samples.ServeModel;

/// <summary>POST /recommend body: the items a visitor has had, oldest first, and how many recommendations to return.</summary>
public sealed record HistoryRequest(string[]? History, int? Top);

/// <summary>One recommended item: its ID, its title when a titles file was given, and the model's score.</summary>
public sealed record RecommendedItem(string ItemId, string? Title, float Score);

/// <summary>A response: who or what was asked about, and the items, best first.</summary>
public sealed record RecommendationResponse(string? User, IReadOnlyList<string>? History, IReadOnlyList<RecommendedItem> Items);

/// <summary>GET /model: what the served model knows.</summary>
public sealed record ModelDescription(string ModelPath, int Users, int Items, int MaxTop, bool AcceptsHistory, bool HasTitles);
