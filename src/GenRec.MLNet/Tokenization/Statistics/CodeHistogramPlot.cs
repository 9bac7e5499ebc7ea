using System.Globalization;
using ScottPlot;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Draws how many items each code of one level holds (by default the first level), codes in index order — the
/// figure LETTER uses to show codebook collapse — as a PNG, for one table or two side by side (e.g. ours vs LETTER's).
/// </summary>
/// <remarks>
/// Rendered with ScottPlot (SkiaSharp; its Linux native library ships without system dependencies). Bars are drawn
/// without outlines, so at 256 codes each bar is just its fill colour and bar heights can be read off the pixels.
/// </remarks>
public sealed class CodeHistogramPlot
{
    /// <summary>The title above the plot. Default: "Level 1 code assignment" for <see cref="Level"/> 0.</summary>
    public string? Title { get; init; }

    /// <summary>Image width in pixels. Default 1200.</summary>
    public int Width { get; init; } = 1200;

    /// <summary>Image height in pixels. Default 500.</summary>
    public int Height { get; init; } = 500;

    /// <summary>The 0-based level whose codes are counted. Default 0 (the first level).</summary>
    public int Level { get; init; }

    /// <summary>How two tables share the plot. Default <see cref="HistogramComparisonLayout.SideBySide"/>.</summary>
    public HistogramComparisonLayout Layout { get; init; } = HistogramComparisonLayout.SideBySide;

    /// <summary>Fill colour of the (first) table's bars, as <c>#RRGGBB</c>.</summary>
    public string PrimaryColor { get; init; } = "#1F77B4";

    /// <summary>Fill colour of the second table's bars, as <c>#RRGGBB</c>.</summary>
    public string SecondaryColor { get; init; } = "#FF7F0E";

    /// <summary>Number of items per code on <paramref name="level"/>, indexed by code (length = that level's codebook size).</summary>
    public static int[] CountCodes(SemanticIdTable table, int level = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, table.Levels);
        var counts = new int[table.CodebookSizes[level]];
        for (int item = 0; item < table.ItemCount; item++)
        {
            counts[table[item][level]]++;
        }

        return counts;
    }

    /// <summary>Renders the histogram of one table as PNG bytes.</summary>
    /// <param name="table">The codes to count.</param>
    /// <param name="label">Name of the table in the legend (e.g. "LETTER"); the legend also gives codes used / codebook size.</param>
    public byte[] RenderPng(SemanticIdTable table, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Render([(table, label)]);
    }

    /// <summary>Renders the histograms of two tables in one plot, laid out as <see cref="Layout"/> says.</summary>
    public byte[] RenderPng(SemanticIdTable first, string firstLabel, SemanticIdTable second, string secondLabel)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Render([(first, firstLabel), (second, secondLabel)]);
    }

    /// <summary>Writes the histogram of one table to a PNG file, creating its folder if needed.</summary>
    public void SavePng(string path, SemanticIdTable table, string? label = null) => Write(path, RenderPng(table, label));

    /// <summary>Writes the histograms of two tables to one PNG file, creating its folder if needed.</summary>
    public void SavePng(string path, SemanticIdTable first, string firstLabel, SemanticIdTable second, string secondLabel) =>
        Write(path, RenderPng(first, firstLabel, second, secondLabel));

    private byte[] Render(IReadOnlyList<(SemanticIdTable Table, string? Label)> tables)
    {
        // Below this ScottPlot has no room left for the axes and the data area collapses.
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 200, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfLessThan(Height, 150, nameof(Height));
        Color[] colors = [Color.FromHex(PrimaryColor), Color.FromHex(SecondaryColor)];

        var plot = new Plot();
        int codes = 0;
        var bars = new List<Bar>();
        for (int t = 0; t < tables.Count; t++)
        {
            int[] counts = CountCodes(tables[t].Table, Level);
            codes = Math.Max(codes, counts.Length);
            var (offset, width, color) = Placement(t, tables.Count, colors[t]);
            for (int code = 0; code < counts.Length; code++)
            {
                if (counts[code] > 0)
                {
                    bars.Add(new Bar { Position = code + offset, Value = counts[code], Size = width, FillColor = color, LineWidth = 0 });
                }
            }

            int used = counts.Count(c => c > 0);
            string label = string.IsNullOrWhiteSpace(tables[t].Label) ? string.Empty : tables[t].Label + ": ";
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = string.Create(CultureInfo.InvariantCulture, $"{label}{used}/{counts.Length} codes used, at most {counts.Max()} items per code"),
                FillColor = color,
            });
        }

        plot.Add.Bars(bars);
        // Outside the data area: inside it the legend box would cover the tallest bars.
        plot.ShowLegend(Edge.Bottom);
        plot.Title(Title ?? $"Level {Level + 1} code assignment");
        plot.XLabel($"Level {Level + 1} code (index)");
        plot.YLabel("Items");
        // Counts start at zero: no margin below the bars, and every code slot (used or not) stays on the axis.
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-1, codes);
        // Codes are integers; fractional ticks such as 2.5 would suggest slots that do not exist.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Offset from the code's position, bar width and colour of table <paramref name="t"/> of <paramref name="count"/>.</summary>
    private (double Offset, double Width, Color Color) Placement(int t, int count, Color color)
    {
        if (count == 1)
        {
            return (0, 0.8, color);
        }

        return Layout == HistogramComparisonLayout.SideBySide
            ? (t == 0 ? -0.2 : 0.2, 0.4, color)
            : (0, 0.8, t == 0 ? color : color.WithAlpha(0.55));
    }

    private static void Write(string path, byte[] png)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, png);
    }
}
