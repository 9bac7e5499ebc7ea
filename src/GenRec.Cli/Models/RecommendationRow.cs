namespace GenRec.Cli.Models;

/// <summary>What a prediction engine reads back from a genrec model: original item IDs, best first, and their scores.</summary>
public sealed class RecommendationRow
{
    /// <summary>The recommended items' original IDs (the pipeline's <c>RecommendedItemIds</c>).</summary>
    public string[] RecommendedItemIds { get; set; } = [];

    /// <summary>Their scores, same order (log-probabilities for the generative stage, cosine for retrieval).</summary>
    public float[] Scores { get; set; } = [];
}
