namespace GenRec.MLNet.Evaluation;

/// <summary>One cell of a <see cref="MetricsTable"/>: a metric at a cutoff and its mean over the evaluated cases.</summary>
/// <param name="Metric">Metric name, one of <see cref="MetricNames.All"/>.</param>
/// <param name="K">Cutoff (list length) the metric was computed at.</param>
/// <param name="Value">Mean value over all cases.</param>
public readonly record struct MetricValue(string Metric, int K, double Value);
