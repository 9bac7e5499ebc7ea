using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Tests.Evaluation;

/// <summary>Returns canned lists per user index and records how it was called.</summary>
internal sealed class FakeRecommender(int itemCount, Func<RecommendationRequest, int, int[]> answer) : IRecommender
{
    public int ItemCount { get; } = itemCount;

    public List<int> BatchSizes { get; } = [];

    public List<(int K, bool ExcludeHistory)> Calls { get; } = [];

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
    {
        BatchSizes.Add(requests.Count);
        Calls.Add((k, excludeHistory));
        return [.. requests.Select(r => answer(r, k))];
    }
}
