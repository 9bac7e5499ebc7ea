namespace GenRec.Samples.ServeModel;

/// <summary>The model's answer for one row: original item IDs (from MapKeyToValue) and their scores, best first.</summary>
public sealed class ServeOutput
{
    public string[] RecommendedItemIds { get; set; } = [];

    public float[] Scores { get; set; } = [];
}
