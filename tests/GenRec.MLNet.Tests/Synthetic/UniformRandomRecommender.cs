using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Tests.Synthetic;

/// <summary>Reference point below popularity: a seeded uniformly random ranking per request.</summary>
internal sealed class UniformRandomRecommender(int itemCount, int seed) : IRecommender
{
    private readonly Random _random = new(seed);

    public int ItemCount { get; } = itemCount;

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
    {
        var results = new int[requests.Count][];
        for (int r = 0; r < requests.Count; r++)
        {
            var excluded = excludeHistory ? new HashSet<int>(requests[r].History) : [];
            var chosen = new List<int>(k);
            var taken = new HashSet<int>();
            while (chosen.Count < Math.Min(k, ItemCount - excluded.Count))
            {
                int item = _random.Next(ItemCount);
                if (!excluded.Contains(item) && taken.Add(item))
                {
                    chosen.Add(item);
                }
            }

            results[r] = [.. chosen];
        }

        return results;
    }
}
