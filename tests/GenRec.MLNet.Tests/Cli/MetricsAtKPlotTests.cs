using FluentAssertions;
using GenRec.Cli.Plots;
using SkiaSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>The metrics-against-K renderer of <c>genrec evaluate --plot</c>: a PNG of the asked size with every line drawn, or one clear refusal.</summary>
public sealed class MetricsAtKPlotTests
{
    private static readonly int[] Ks = [1, 5, 10, 20];

    private static readonly MetricCurve[] Curves =
    [
        new("Recall", [0.05, 0.20, 0.30, 0.42]),
        new("NDCG", [0.05, 0.12, 0.15, 0.18]),
        new("HR", [0.08, 0.30, 0.45, 0.60]),
        new("MRR", [0.05, 0.09, 0.10, 0.11]),
    ];

    [Fact]
    public void Renders_a_png_of_the_requested_size()
    {
        string path = Path.Combine(Path.GetTempPath(), $"metrics-at-k-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, MetricsAtKPlot.RenderPng("model.zip", Ks, Curves, width: 640, height: 320));
            PngFile.Size(path).Should().Be((640, 320));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Draws_one_line_per_metric_in_its_own_colour()
    {
        using SKBitmap drawn = SKBitmap.Decode(MetricsAtKPlot.RenderPng("model.zip", Ks, Curves));
        using SKBitmap recallOnly = SKBitmap.Decode(MetricsAtKPlot.RenderPng("model.zip", Ks, [Curves[0]]));

        // ScottPlot colours series in its default palette order; the fourth colour appears only when four lines are drawn.
        SKColor fourth = SKColor.Parse("#d62728");
        CountNear(drawn, SKColor.Parse("#1f77b4")).Should().BeGreaterThan(100, "the Recall line is drawn");
        CountNear(drawn, fourth).Should().BeGreaterThan(100, "the MRR line is drawn");
        CountNear(recallOnly, fourth).Should().Be(0, "control: with one metric there is no fourth line");
    }

    [Fact]
    public void Metrics_with_equal_values_share_one_line_named_after_both()
    {
        // One held-out item per user: HR equals Recall at every K, and a separate HR line would cover Recall's.
        MetricCurve[] curves = [Curves[0], Curves[1], Curves[0] with { Name = "HR" }, Curves[3]];
        MetricsAtKPlot.MergeIdentical(curves).Select(c => c.Name).Should().Equal("Recall = HR", "NDCG", "MRR");

        using SKBitmap drawn = SKBitmap.Decode(MetricsAtKPlot.RenderPng("model.zip", Ks, curves));
        CountNear(drawn, SKColor.Parse("#1f77b4")).Should().BeGreaterThan(100, "the shared Recall = HR line is drawn in the first colour");
        CountNear(drawn, SKColor.Parse("#d62728")).Should().Be(0, "three lines use three colours");
    }

    [Fact]
    public void Refuses_empty_input_with_a_clear_message()
    {
        FluentActions.Invoking(() => MetricsAtKPlot.RenderPng("m", [], Curves))
            .Should().Throw<ArgumentException>().WithMessage("*no cutoffs K*");
        FluentActions.Invoking(() => MetricsAtKPlot.RenderPng("m", Ks, []))
            .Should().Throw<ArgumentException>().WithMessage("*no metrics to plot*");
    }

    [Fact]
    public void Refuses_a_curve_that_does_not_match_the_cutoffs()
    {
        FluentActions.Invoking(() => MetricsAtKPlot.RenderPng("m", Ks, [new MetricCurve("NDCG", [0.1, 0.2])]))
            .Should().Throw<ArgumentException>().WithMessage("*'NDCG' has 2 values for 4 cutoffs*");
        FluentActions.Invoking(() => MetricsAtKPlot.RenderPng("m", [10, 5], [new MetricCurve("HR", [0.1, 0.2])]))
            .Should().Throw<ArgumentException>().WithMessage("*positive and ascending*");
    }

    private static int CountNear(SKBitmap bitmap, SKColor colour)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor pixel = bitmap.GetPixel(x, y);
                if (Math.Abs(pixel.Red - colour.Red) + Math.Abs(pixel.Green - colour.Green) + Math.Abs(pixel.Blue - colour.Blue) < 30)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
