using System.Globalization;

namespace GenRec.MLNet.Data;

/// <summary>
/// One data row of a <see cref="CsvTable"/>: the requested columns in the order asked for (null where an optional
/// column is absent from the header), with the file and line for error messages.
/// </summary>
internal readonly record struct CsvRow(string Path, long Line, string?[] Values)
{
    /// <summary>Whether the file has the <paramref name="column"/>-th requested column.</summary>
    public bool Has(int column) => Values[column] is not null;

    /// <summary>The trimmed value of the <paramref name="column"/>-th requested column.</summary>
    public string Field(int column) => (Values[column] ?? string.Empty).Trim();

    /// <summary>The column as an integer; otherwise an error naming the line, the column and the value.</summary>
    public long Int64(int column, string name)
    {
        string value = Field(column);
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long result))
        {
            throw new DataFormatException(Path, Line, $"{name} '{value}' is not an integer.");
        }

        return result;
    }

    /// <summary>The column as a number; otherwise an error naming the line, the column and the value.</summary>
    public double Double(int column, string name)
    {
        string value = Field(column);
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result))
        {
            throw new DataFormatException(Path, Line, $"{name} '{value}' is not a number.");
        }

        return result;
    }
}
