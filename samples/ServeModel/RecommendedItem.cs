namespace GenRec.Samples.ServeModel;

/// <summary>One recommended item: its ID, its title when a titles file was given, and the model's score.</summary>
public sealed record RecommendedItem(string ItemId, string? Title, float Score);
