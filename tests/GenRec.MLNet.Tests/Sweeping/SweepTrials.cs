using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Sweeping;

namespace GenRec.MLNet.Tests.Sweeping;

/// <summary>Hand-made <see cref="TrialResult{TOptions}"/>s for tests of what a sweep reports, without fitting anything.</summary>
internal static class SweepTrials
{
    /// <summary>A trial whose validation metrics (K = 10, over <paramref name="users"/> users) exist only when both recall and NDCG are given.</summary>
    public static TrialResult<CollaborativeEmbeddingOptions> Create(int id, int configurationId, int rung, int? budget, TrialStatus status,
        double? recall, double? ndcg, double seconds, int users, params (string Path, object Value)[] parameters)
    {
        RecommendationMetrics? metrics = null;
        if (recall is double r && ndcg is double n)
        {
            // Rows: the metrics of MetricNames.All in order (Recall, HR, NDCG, MRR); one column, K = 10.
            var values = new double[,] { { r }, { r }, { n }, { n } };
            metrics = new RecommendationMetrics(new MetricsTable([10], [.. MetricNames.All], values, caseCount: users), rowCount: users, unknownLabelCount: 0);
        }

        return new TrialResult<CollaborativeEmbeddingOptions>(id, configurationId, rung, budget, new CollaborativeEmbeddingOptions(),
            parameters.ToDictionary(p => p.Path, p => (object?)p.Value), status, metrics, TimeSpan.FromSeconds(seconds), error: null);
    }
}
