namespace GenRec.Samples.ServeModel;

/// <summary>GET /model: what the served model knows.</summary>
public sealed record ModelDescription(string ModelPath, int Users, int Items, int MaxTop, bool AcceptsHistory, bool HasTitles);
