namespace GenRec.MLNet.Evaluation;

/// <summary>Names of the ranking metrics reported by <see cref="RecommenderEvaluator"/> and read back from <see cref="MetricsTable"/>.</summary>
public static class MetricNames
{
    /// <summary>Recall@K: fraction of the targets found in the top K.</summary>
    public const string Recall = "Recall";

    /// <summary>Hit rate HR@K: 1 when at least one target is in the top K, else 0.</summary>
    public const string HitRate = "HR";

    /// <summary>NDCG@K: discounted cumulative gain of the hits, normalized by the best achievable DCG.</summary>
    public const string Ndcg = "NDCG";

    /// <summary>MRR@K: reciprocal rank of the first hit within the top K, else 0.</summary>
    public const string Mrr = "MRR";

    /// <summary>All metric names, in the order tables print them.</summary>
    public static IReadOnlyList<string> All { get; } = [Recall, HitRate, Ndcg, Mrr];
}
