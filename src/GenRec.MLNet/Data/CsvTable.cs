using CsvHelper;

namespace GenRec.MLNet.Data;

/// <summary>
/// Reads a headed, comma-separated file through CsvHelper (RFC 4180: quoted fields may hold commas, doubled quotes and
/// line breaks) and hands the loaders the columns they ask for by name. Every problem is a
/// <see cref="DataFormatException"/> naming the file and the line the record starts on.
/// </summary>
/// <remarks>
/// ML.NET's TextLoader reads quoted and multi-line fields too, but it turns a malformed row into missing values
/// without saying where; a loader has to tell the user which line to fix, which CsvHelper's reader reports.
/// </remarks>
internal static class CsvTable
{
    /// <summary>
    /// The rows of <paramref name="path"/> (blank lines skipped), each with <paramref name="requiredColumns"/> and then
    /// <paramref name="optionalColumns"/> in that order; header names match case-insensitively after trimming.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="DataFormatException">No header, a required column missing, a malformed quote, or a row whose field count differs from the header.</exception>
    public static IEnumerable<CsvRow> Read(string path, string what, string[] requiredColumns, string[] optionalColumns)
    {
        InputFile.EnsureExists(path, what);
        return Enumerate(path, requiredColumns, optionalColumns);
    }

    /// <summary>Position of a column in the header (case-insensitive, trimmed), or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<CsvRow> Enumerate(string path, string[] requiredColumns, string[] optionalColumns)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            // The loaders check the field count themselves, to say how many columns the header has.
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            // A quote inside an unquoted field (Tom's "Diner") is kept as text; broken quoting is an error on its line.
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => Malformed(path, record),
        };
        using CsvReader reader = CsvReader.FromFile(path, options);
        IReadOnlyList<string> header = reader.Headers;
        if (header.Count == 0)
        {
            throw new DataFormatException(path, 0, "the file is empty; expected a header line.");
        }

        long headerLine = Math.Max(1, reader.LineNumber);
        int[] positions = [.. requiredColumns.Select(name => Require(header, name, path, headerLine)), .. optionalColumns.Select(name => IndexOf(header, name))];
        while (reader.Read())
        {
            if (reader.FieldCount != header.Count)
            {
                throw new DataFormatException(path, reader.LineNumber, $"expected {header.Count} columns as in the header but found {reader.FieldCount}.");
            }

            var values = new string?[positions.Length];
            for (int column = 0; column < positions.Length; column++)
            {
                values[column] = positions[column] < 0 ? null : reader.GetString(positions[column]);
            }

            yield return new CsvRow(path, reader.LineNumber, values);
        }
    }

    private static int Require(IReadOnlyList<string> header, string name, string path, long headerLine)
    {
        int position = IndexOf(header, name);
        return position >= 0
            ? position
            : throw new DataFormatException(path, headerLine, $"missing header column '{name}' (header is '{string.Join(",", header)}').");
    }

    private static void Malformed(string path, CsvMalformedRecord record)
    {
        string? problem = record.Reason switch
        {
            CsvMalformedReason.StrayQuote => null,
            CsvMalformedReason.UnterminatedQuote => "unterminated quoted field: its closing quote is missing, so it would run to the end of the file.",
            CsvMalformedReason.TextAfterClosingQuote => "unexpected text after the closing quote of a field (a quote inside a quoted field must be doubled).",
            _ => $"malformed record ({record.Reason}).",
        };
        if (problem is not null)
        {
            throw new DataFormatException(path, record.LineNumber, problem);
        }
    }
}
