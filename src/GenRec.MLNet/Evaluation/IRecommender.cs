namespace GenRec.MLNet.Evaluation;

/// <summary>One user to recommend for: the user's index, their history (item indices, oldest first).</summary>
/// <param name="UserIndex">0-based user index (models without user parameters may ignore it).</param>
/// <param name="History">Item indices the user interacted with, oldest first.</param>
public readonly record struct RecommendationRequest(int UserIndex, int[] History);

/// <summary>
/// Anything that ranks items for users: baselines, collaborative models, generative models.
/// The evaluator calls it with batches so models can batch tensor work.
/// </summary>
public interface IRecommender
{
    /// <summary>Number of items the recommender ranks over (item indices 0..ItemCount-1).</summary>
    int ItemCount { get; }

    /// <summary>
    /// Returns, for each request, up to <paramref name="k"/> item indices, best first, with no duplicates.
    /// When <paramref name="excludeHistory"/> is true, items in the request's history must not be returned.
    /// </summary>
    int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory);
}
