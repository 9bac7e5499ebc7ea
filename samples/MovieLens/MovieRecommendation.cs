namespace GenRec.Samples.MovieLens;

/// <summary>A pipeline's answer for a row: movie IDs (MapKeyToValue of RecommendedItems) and their scores, best first.</summary>
public sealed class MovieRecommendation
{
    public string[] RecommendedItemIds { get; set; } = [];

    public float[] Scores { get; set; } = [];
}
