namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Top-K ranking metrics for one ranked list against a set of held-out targets.
/// </summary>
/// <remarks>
/// Evaluation is full-ranking: the recommender ranks the whole catalog, so an item's rank is simply its
/// 1-based position in the returned list (no sampled negatives). Targets are treated as a set (duplicates count
/// once) and a ranked item is credited at most once, so a faulty list cannot push a metric above 1.
/// An empty target set is rejected because every metric would be undefined (0/0).
/// </remarks>
public static class RankingMetrics
{
    /// <summary>Recall@K: number of distinct targets in the top <paramref name="k"/> divided by the number of distinct targets.</summary>
    /// <param name="ranked">Recommended item indices, best first (may be shorter than <paramref name="k"/>).</param>
    /// <param name="targets">Held-out item indices.</param>
    /// <param name="k">Cutoff, at least 1.</param>
    public static double Recall(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k)
    {
        int targetCount = CountDistinctTargets(targets, k);
        return (double)ScanHits(ranked, targets, k, out _) / targetCount;
    }

    /// <summary>HR@K (hit rate): 1 when any target is in the top <paramref name="k"/>, else 0.</summary>
    /// <param name="ranked">Recommended item indices, best first.</param>
    /// <param name="targets">Held-out item indices.</param>
    /// <param name="k">Cutoff, at least 1.</param>
    public static double HitRate(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k)
    {
        CountDistinctTargets(targets, k);
        return ScanHits(ranked, targets, k, out _) > 0 ? 1.0 : 0.0;
    }

    /// <summary>
    /// NDCG@K: sum of 1/log2(rank + 1) over hits in the top <paramref name="k"/>, divided by the ideal DCG,
    /// i.e. the DCG of min(|targets|, K) hits at ranks 1, 2, ...
    /// </summary>
    /// <param name="ranked">Recommended item indices, best first.</param>
    /// <param name="targets">Held-out item indices.</param>
    /// <param name="k">Cutoff, at least 1.</param>
    public static double Ndcg(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k)
    {
        int targetCount = CountDistinctTargets(targets, k);
        double dcg = 0;
        int limit = Math.Min(k, ranked.Length);
        for (int position = 0; position < limit; position++)
        {
            if (IsNewHit(ranked, targets, position))
            {
                dcg += Discount(position + 1);
            }
        }

        double ideal = 0;
        int idealHits = Math.Min(targetCount, k);
        for (int rank = 1; rank <= idealHits; rank++)
        {
            ideal += Discount(rank);
        }

        return dcg / ideal;
    }

    /// <summary>MRR@K: 1/rank of the first target within the top <paramref name="k"/>, or 0 when none is there.</summary>
    /// <param name="ranked">Recommended item indices, best first.</param>
    /// <param name="targets">Held-out item indices.</param>
    /// <param name="k">Cutoff, at least 1.</param>
    public static double Mrr(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k)
    {
        CountDistinctTargets(targets, k);
        ScanHits(ranked, targets, k, out int first);
        return first > 0 ? 1.0 / first : 0.0;
    }

    /// <summary>Computes the named metric (one of <see cref="MetricNames.All"/>, case-insensitive).</summary>
    /// <param name="metric">Metric name.</param>
    /// <param name="ranked">Recommended item indices, best first.</param>
    /// <param name="targets">Held-out item indices.</param>
    /// <param name="k">Cutoff, at least 1.</param>
    public static double Compute(string metric, ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (string.Equals(metric, MetricNames.Recall, StringComparison.OrdinalIgnoreCase))
        {
            return Recall(ranked, targets, k);
        }

        if (string.Equals(metric, MetricNames.HitRate, StringComparison.OrdinalIgnoreCase))
        {
            return HitRate(ranked, targets, k);
        }

        if (string.Equals(metric, MetricNames.Ndcg, StringComparison.OrdinalIgnoreCase))
        {
            return Ndcg(ranked, targets, k);
        }

        if (string.Equals(metric, MetricNames.Mrr, StringComparison.OrdinalIgnoreCase))
        {
            return Mrr(ranked, targets, k);
        }

        throw new ArgumentException($"Unknown metric '{metric}'. Known metrics: {string.Join(", ", MetricNames.All)}.", nameof(metric));
    }

    private static double Discount(int rank) => 1.0 / Math.Log2(rank + 1);

    /// <summary>Validates the cutoff and target set, and returns the number of distinct targets.</summary>
    private static int CountDistinctTargets(ReadOnlySpan<int> targets, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (targets.IsEmpty)
        {
            throw new ArgumentException("At least one target is required; ranking metrics are undefined for an empty target set.", nameof(targets));
        }

        // Target sets are tiny (usually one item), so a quadratic scan beats allocating a set.
        int distinct = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            if (targets[..i].IndexOf(targets[i]) < 0)
            {
                distinct++;
            }
        }

        return distinct;
    }

    /// <summary>Counts distinct hits within the top k and reports the 1-based rank of the first (0 when none).</summary>
    private static int ScanHits(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k, out int firstRank)
    {
        firstRank = 0;
        int hits = 0;
        int limit = Math.Min(k, ranked.Length);
        for (int position = 0; position < limit; position++)
        {
            if (IsNewHit(ranked, targets, position))
            {
                hits++;
                if (firstRank == 0)
                {
                    firstRank = position + 1;
                }
            }
        }

        return hits;
    }

    /// <summary>
    /// True when the item at <paramref name="position"/> is a target not already seen earlier in the list:
    /// an item repeated in a faulty list is credited only at its first (best) position.
    /// </summary>
    private static bool IsNewHit(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int position)
    {
        int item = ranked[position];
        return targets.IndexOf(item) >= 0 && ranked[..position].IndexOf(item) < 0;
    }
}
