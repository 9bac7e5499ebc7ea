using System.Text;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// A plain-text table for logs and consoles: every column is left-aligned and as wide as its longest cell (header
/// included), columns are separated by <see cref="ColumnGap"/>, and each line's trailing spaces are trimmed (an empty
/// last cell leaves no padding). Written here rather than taken from a console-table package so the library keeps no
/// UI dependency.
/// </summary>
internal static class FixedWidthTable
{
    /// <summary>What separates two columns.</summary>
    public const string ColumnGap = "  ";

    /// <summary>The header line, then one line per row, each ending in <see cref="Environment.NewLine"/>.</summary>
    /// <exception cref="ArgumentException">A row has a different number of cells than the header.</exception>
    public static string Format(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        List<IReadOnlyList<string>> lines = [header, .. rows];
        int[] widths = new int[header.Count];
        for (int index = 0; index < lines.Count; index++)
        {
            IReadOnlyList<string> cells = lines[index];
            if (cells.Count != header.Count)
            {
                throw new ArgumentException($"Row {index - 1} has {cells.Count} cells; the header has {header.Count}.", nameof(rows));
            }

            for (int column = 0; column < widths.Length; column++)
            {
                widths[column] = Math.Max(widths[column], cells[column].Length);
            }
        }

        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (IReadOnlyList<string> cells in lines)
        {
            line.Clear();
            for (int column = 0; column < widths.Length; column++)
            {
                line.Append(column == 0 ? "" : ColumnGap).Append(cells[column].PadRight(widths[column]));
            }

            text.AppendLine(line.ToString().TrimEnd(' '));
        }

        return text.ToString();
    }
}
