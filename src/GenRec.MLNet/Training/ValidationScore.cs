using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Training;

/// <summary>
/// The one way a recommender's trainable scores its validation cases: the options' <see cref="RankingMetric"/> at
/// their cutoff, so early stopping and the kept best weights follow the metric the user chose in every stage.
/// </summary>
internal static class ValidationScore
{
    public static double Compute(IRecommender recommender, IReadOnlyList<EvaluationCase> cases, TorchTrainerOptions options, bool excludeHistory, int batchSize) =>
        RecommenderEvaluator.Evaluate(recommender, cases, [options.ValidationCutoff], excludeHistory, batchSize).Get(Name(options.ValidationMetric), options.ValidationCutoff);

    /// <summary>The metric's name in a <see cref="MetricsTable"/>.</summary>
    public static string Name(RankingMetric metric) => metric switch
    {
        RankingMetric.Recall => MetricNames.Recall,
        RankingMetric.HitRate => MetricNames.HitRate,
        RankingMetric.Ndcg => MetricNames.Ndcg,
        RankingMetric.Mrr => MetricNames.Mrr,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown ranking metric."),
    };
}
