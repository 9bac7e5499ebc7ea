using System.Buffers.Binary;
using FluentAssertions;
using GenRec.MLNet.Tokenization;
using SkiaSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Statistics;

public sealed class CodeHistogramPlotTests
{
    /// <summary>First-level counts 10, 20, 40, 0, 5 for codes 0..4 (second level irrelevant).</summary>
    private static readonly SemanticIdTable Table = TableWithCounts([10, 20, 40, 0, 5]);

    [Fact]
    public void CountCodes_CountsItemsPerCodeOfTheLevel()
    {
        CodeHistogramPlot.CountCodes(Table).Should().Equal(10, 20, 40, 0, 5);
        CodeHistogramPlot.CountCodes(Table, level: 1).Should().Equal(75, 0);
        FluentActions.Invoking(() => CodeHistogramPlot.CountCodes(Table, level: 2)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void RenderPng_IsAPngOfTheRequestedSize()
    {
        byte[] png = new CodeHistogramPlot { Width = 640, Height = 360 }.RenderPng(Table, "test");

        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        System.Text.Encoding.ASCII.GetString(png, 12, 4).Should().Be("IHDR"); // the first chunk, as the format requires
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).Should().Be(640);
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)).Should().Be(360);
        using var bitmap = SKBitmap.Decode(png);
        bitmap.Should().NotBeNull("the bytes must decode as an image");
        (bitmap.Width, bitmap.Height).Should().Be((640, 360));
    }

    [Fact]
    public void RenderPng_BarHeightsAreProportionalToCounts_InCodeOrder()
    {
        var plot = new CodeHistogramPlot { Width = 600, Height = 400 };
        using var bitmap = SKBitmap.Decode(plot.RenderPng(Table, "test"));

        var bars = BarHeights(bitmap, SKColor.Parse(plot.PrimaryColor));

        // Code 3 holds no items, so four bars, left to right in code order.
        bars.Should().HaveCount(4);
        ShouldBeProportional(bars, [10, 20, 40, 5]);
    }

    [Fact]
    public void RenderPng_SideBySide_DrawsBothTablesProportionally()
    {
        var other = TableWithCounts([30, 0, 15, 15, 15]);
        var plot = new CodeHistogramPlot { Width = 800, Height = 400 };
        using var bitmap = SKBitmap.Decode(plot.RenderPng(Table, "ours", other, "theirs"));

        var first = BarHeights(bitmap, SKColor.Parse(plot.PrimaryColor));
        var second = BarHeights(bitmap, SKColor.Parse(plot.SecondaryColor));

        first.Should().HaveCount(4);
        second.Should().HaveCount(4);
        ShouldBeProportional(first.Concat(second).ToList(), [10, 20, 40, 5, 30, 15, 15, 15]);
    }

    [Fact]
    public void SavePng_Overlay_WritesADecodableFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "genrec-plot-" + Guid.NewGuid().ToString("N"), "h.png");
        try
        {
            new CodeHistogramPlot { Layout = HistogramComparisonLayout.Overlay, Width = 500, Height = 300, Title = "Overlay" }
                .SavePng(path, Table, "ours", TableWithCounts([1, 2, 3, 4, 5]), "theirs");

            using var bitmap = SKBitmap.Decode(path);
            (bitmap.Width, bitmap.Height).Should().Be((500, 300));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary>
    /// Heights in pixels of the bars filled with <paramref name="color"/>, left to right: for every column, the run of
    /// that colour rising from the baseline, grouped into bars of adjacent columns. The baseline is the lowest row
    /// with the most pixels of the colour — the foot of all bars — which leaves out the legend's small colour swatch.
    /// </summary>
    private static List<int> BarHeights(SKBitmap bitmap, SKColor color)
    {
        int baseline = -1, widest = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            int count = 0;
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (bitmap.GetPixel(x, y) == color)
                {
                    count++;
                }
            }

            if (count > 0 && count >= widest)
            {
                widest = count;
                baseline = y;
            }
        }

        baseline.Should().BeGreaterThan(0, $"some pixels must have the bar colour {color}");
        var bars = new List<int>();
        int current = 0;
        for (int x = 0; x < bitmap.Width; x++)
        {
            int run = 0;
            while (baseline - run >= 0 && bitmap.GetPixel(x, baseline - run) == color)
            {
                run++;
            }

            if (run > 0)
            {
                current = Math.Max(current, run);
            }
            else if (current > 0)
            {
                bars.Add(current);
                current = 0;
            }
        }

        if (current > 0)
        {
            bars.Add(current);
        }

        return bars;
    }

    /// <summary>Each bar must be count × (pixels per item) tall, within 2 pixels of anti-aliasing and rounding.</summary>
    private static void ShouldBeProportional(IReadOnlyList<int> heights, int[] counts)
    {
        heights.Should().HaveCount(counts.Length);
        int tallest = Array.IndexOf(counts, counts.Max());
        double pixelsPerItem = (double)heights[tallest] / counts[tallest];
        pixelsPerItem.Should().BeGreaterThan(2, "the plot must leave room for the bars");
        for (int i = 0; i < counts.Length; i++)
        {
            heights[i].Should().BeCloseTo((int)Math.Round(counts[i] * pixelsPerItem), 2, $"bar {i} holds {counts[i]} items");
        }
    }

    private static SemanticIdTable TableWithCounts(int[] counts)
    {
        var rows = new List<int[]>();
        for (int code = 0; code < counts.Length; code++)
        {
            rows.AddRange(Enumerable.Range(0, counts[code]).Select(_ => new[] { code, 0 }));
        }

        return new SemanticIdTable(rows, [counts.Length, 2]);
    }
}
