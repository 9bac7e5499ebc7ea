using GenRec.Cli.Training;
using ScottPlot;

namespace GenRec.Cli.Plots;

/// <summary>
/// One stage's training curve as a PNG: the training loss (left axis) and the validation metric (right axis)
/// against training seconds, so a flat validation line under a falling loss is visible at a glance.
/// </summary>
public static class CurvePlot
{
    /// <summary>Renders <paramref name="curve"/>; a stage without any point is a plot saying so.</summary>
    public static byte[] RenderPng(StageCurve curve, int width = 900, int height = 450)
    {
        var plot = new Plot();
        plot.Title($"{curve.Name} ({curve.Description}): training curve");
        plot.XLabel("training seconds");
        plot.YLabel("training loss");
        if (curve.Loss.Count > 0)
        {
            var loss = plot.Add.Scatter(curve.Loss.Select(p => p.Seconds).ToArray(), curve.Loss.Select(p => p.Value).ToArray());
            loss.LegendText = "training loss";
            loss.MarkerSize = curve.Loss.Count > 60 ? 0 : 4;
        }

        if (curve.Validation.Count > 0)
        {
            var valid = plot.Add.Scatter(curve.Validation.Select(p => p.Seconds).ToArray(), curve.Validation.Select(p => p.Value).ToArray());
            valid.LegendText = $"validation {curve.ValidationMetric} (right axis)";
            valid.Axes.YAxis = plot.Axes.Right;
            valid.MarkerSize = 6;
            plot.Axes.Right.Label.Text = $"validation {curve.ValidationMetric}";
        }

        if (curve.Loss.Count == 0 && curve.Validation.Count == 0)
        {
            plot.Add.Annotation(curve.Reused ? "reused from a checkpoint: no new points" : "no progress reported (too few steps)");
        }
        else
        {
            plot.ShowLegend(Edge.Bottom);
        }

        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
