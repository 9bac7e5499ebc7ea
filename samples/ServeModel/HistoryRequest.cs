namespace GenRec.Samples.ServeModel;

/// <summary>POST /recommend body: the items a visitor has had, oldest first, and how many recommendations to return.</summary>
public sealed record HistoryRequest(string[]? History, int? Top);
