using System.Globalization;
using ScottPlot;

namespace GenRec.Cli.Plots;

/// <summary>
/// Ranking metrics against the cutoff K as a PNG: one line per metric (Recall, NDCG, HR, MRR), so how fast each
/// grows with a longer list, and how far NDCG and MRR stay below the hit rate, can be read at a glance.
/// </summary>
public static class MetricsAtKPlot
{
    /// <summary>Renders <paramref name="curves"/> over <paramref name="ks"/>; every curve has one value per K.</summary>
    /// <exception cref="ArgumentException">No K, no curve, Ks not ascending and positive, or a curve of the wrong length.</exception>
    public static byte[] RenderPng(string title, IReadOnlyList<int> ks, IReadOnlyList<MetricCurve> curves, int width = 900, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentNullException.ThrowIfNull(curves);
        Validate(ks, curves);

        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("K (length of the recommendation list)");
        plot.YLabel("metric averaged over users");
        double[] xs = ks.Select(k => (double)k).ToArray();
        foreach (MetricCurve curve in MergeIdentical(curves))
        {
            var line = plot.Add.Scatter(xs, curve.Values.ToArray());
            line.LegendText = curve.Name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        // Ticks exactly at the evaluated Ks: the points are measurements at those cutoffs, nothing in between.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            xs, ks.Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());

        // The metrics are shares in [0, 1]; starting the axis at 0 keeps small differences from looking large.
        double highest = curves.Max(c => c.Values.Max());
        plot.Axes.SetLimitsY(0, highest > 0 ? highest * 1.1 : 1);
        plot.Axes.SetLimitsX(0, ks[^1] + Math.Max(1, ks[^1] / 20.0));
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>
    /// Curves with the same value at every K as one curve named <c>Recall = HR</c>. With one held-out item per user
    /// recall and hit rate are always equal, and drawn separately the later line would hide the earlier one.
    /// </summary>
    public static IReadOnlyList<MetricCurve> MergeIdentical(IReadOnlyList<MetricCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var merged = new List<MetricCurve>();
        foreach (MetricCurve curve in curves)
        {
            int same = merged.FindIndex(m => m.Values.SequenceEqual(curve.Values));
            if (same < 0)
            {
                merged.Add(curve);
            }
            else
            {
                merged[same] = merged[same] with { Name = $"{merged[same].Name} = {curve.Name}" };
            }
        }

        return merged;
    }

    private static void Validate(IReadOnlyList<int> ks, IReadOnlyList<MetricCurve> curves)
    {
        if (ks.Count == 0)
        {
            throw new ArgumentException("There are no cutoffs K to plot the metrics against.", nameof(ks));
        }

        for (int i = 0; i < ks.Count; i++)
        {
            if (ks[i] < 1 || (i > 0 && ks[i] <= ks[i - 1]))
            {
                throw new ArgumentException($"The cutoffs must be positive and ascending, but are {string.Join(", ", ks)}.", nameof(ks));
            }
        }

        if (curves.Count == 0)
        {
            throw new ArgumentException("There are no metrics to plot.", nameof(curves));
        }

        foreach (MetricCurve curve in curves)
        {
            if (curve.Values.Count != ks.Count)
            {
                throw new ArgumentException($"The metric '{curve.Name}' has {curve.Values.Count} values for {ks.Count} cutoffs.", nameof(curves));
            }

            if (curve.Values.Any(v => !double.IsFinite(v)))
            {
                throw new ArgumentException($"The metric '{curve.Name}' has a value that is not a finite number.", nameof(curves));
            }
        }
    }
}
