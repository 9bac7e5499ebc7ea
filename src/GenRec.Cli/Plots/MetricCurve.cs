namespace GenRec.Cli.Plots;

/// <summary>One ranking metric's value at each cutoff of a <see cref="MetricsAtKPlot"/>, in the plot's K order.</summary>
/// <param name="Name">The legend text, e.g. <c>Recall</c>.</param>
/// <param name="Values">The metric at each K, one value per cutoff.</param>
public sealed record MetricCurve(string Name, IReadOnlyList<double> Values);
