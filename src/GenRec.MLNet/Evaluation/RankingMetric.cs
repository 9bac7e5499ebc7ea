namespace GenRec.MLNet.Evaluation;

/// <summary>A ranking metric at a cutoff K, as <see cref="RecommenderEvaluator"/> computes it (higher is better).</summary>
public enum RankingMetric
{
    /// <summary>Recall@K (<see cref="MetricNames.Recall"/>).</summary>
    Recall = 0,

    /// <summary>Hit rate HR@K (<see cref="MetricNames.HitRate"/>).</summary>
    HitRate = 1,

    /// <summary>NDCG@K (<see cref="MetricNames.Ndcg"/>).</summary>
    Ndcg = 2,

    /// <summary>MRR@K (<see cref="MetricNames.Mrr"/>).</summary>
    Mrr = 3,
}
