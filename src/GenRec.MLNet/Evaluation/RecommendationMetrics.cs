using System.Globalization;

namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Ranking quality of a scored <see cref="Microsoft.ML.IDataView"/>, as returned by
/// <see cref="GenRecCatalog.Evaluate"/>: Recall, HR, NDCG and MRR at each cutoff K, averaged over users.
/// </summary>
/// <remarks>
/// The values are those of <see cref="RecommenderEvaluator"/> on the same lists and targets: both go through
/// <see cref="RankingMetrics"/> and average in the same way (see <see cref="Table"/>).
/// </remarks>
public sealed class RecommendationMetrics
{
    internal RecommendationMetrics(MetricsTable table, long rowCount, int unknownLabelCount)
    {
        Table = table;
        RowCount = rowCount;
        UnknownLabelCount = unknownLabelCount;
    }

    /// <summary>Every metric at every K, with the number of users averaged over as its case count.</summary>
    public MetricsTable Table { get; }

    /// <summary>Cutoffs that were evaluated, ascending.</summary>
    public IReadOnlyList<int> Ks => Table.Ks;

    /// <summary>Number of users the metrics are averaged over (distinct values of the user column).</summary>
    public int UserCount => Table.CaseCount;

    /// <summary>Number of rows read (label items, one per row).</summary>
    public long RowCount { get; }

    /// <summary>
    /// Number of label rows whose item key was 0, i.e. an item the key mapping had not seen. Each counts as a relevant
    /// item of its user that no recommendation can hit, so it lowers Recall and NDCG instead of being dropped.
    /// </summary>
    public int UnknownLabelCount { get; }

    /// <summary>Mean Recall@<paramref name="k"/>: share of a user's relevant items in the top K.</summary>
    /// <param name="k">An evaluated cutoff.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="k"/> was not evaluated.</exception>
    public double Recall(int k) => Table[MetricNames.Recall, k];

    /// <summary>Mean HR@<paramref name="k"/>: share of users with at least one relevant item in the top K.</summary>
    /// <param name="k">An evaluated cutoff.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="k"/> was not evaluated.</exception>
    public double HitRate(int k) => Table[MetricNames.HitRate, k];

    /// <summary>Mean NDCG@<paramref name="k"/>.</summary>
    /// <param name="k">An evaluated cutoff.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="k"/> was not evaluated.</exception>
    public double Ndcg(int k) => Table[MetricNames.Ndcg, k];

    /// <summary>Mean MRR@<paramref name="k"/>: reciprocal rank of the first relevant item in the top K, 0 when none.</summary>
    /// <param name="k">An evaluated cutoff.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="k"/> was not evaluated.</exception>
    public double Mrr(int k) => Table[MetricNames.Mrr, k];

    /// <inheritdoc />
    public override string ToString() =>
        Table.ToString().Replace("cases)", "users)", StringComparison.Ordinal)
        + (UnknownLabelCount > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {UnknownLabelCount:N0} labels were unknown items (key 0)") : string.Empty);
}
