namespace GenRec.Samples.QuickStart;

/// <summary>What the pipeline returns for a row: the original item IDs (MapKeyToValue) and their scores, best first.</summary>
public sealed class ShopRecommendation
{
    public string[] RecommendedItemIds { get; set; } = [];

    public float[] Scores { get; set; } = [];
}
