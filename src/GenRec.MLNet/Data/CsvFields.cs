namespace GenRec.MLNet.Data;

/// <summary>
/// Minimal RFC 4180 field splitting for one line: fields may be quoted, quoted fields may hold the
/// separator and doubled quotes. Quoted fields spanning several lines are not supported (MovieLens
/// files never have them), and an unterminated quote is reported rather than silently joined.
/// </summary>
internal static class CsvFields
{
    /// <summary>Splits <paramref name="line"/> at <paramref name="separator"/>, honouring quotes.</summary>
    public static List<string> Split(string line, char separator, string path, long lineNumber)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            current.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new DataFormatException(path, lineNumber, $"unterminated quoted field (field {fields.Count + 1}).");
                    }

                    char c = line[i++];
                    if (c != '"')
                    {
                        current.Append(c);
                    }
                    else if (i < line.Length && line[i] == '"')
                    {
                        current.Append('"');
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                if (i < line.Length && line[i] != separator)
                {
                    throw new DataFormatException(path, lineNumber, $"unexpected character '{line[i]}' after the closing quote of field {fields.Count + 1}.");
                }
            }
            else
            {
                int end = line.IndexOf(separator, i);
                if (end < 0)
                {
                    end = line.Length;
                }

                current.Append(line, i, end - i);
                i = end;
            }

            fields.Add(current.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // skip the separator; a trailing separator yields a final empty field
        }
    }

    /// <summary>
    /// Finds the position of each required column in a header row (case-insensitive, trimmed) and
    /// reports the first one that is missing, so users see which column their file lacks.
    /// </summary>
    public static int[] RequireColumns(IReadOnlyList<string> header, string path, long headerLine, params string[] names)
    {
        var positions = new int[names.Length];
        for (int n = 0; n < names.Length; n++)
        {
            positions[n] = IndexOf(header, names[n]);
            if (positions[n] < 0)
            {
                throw new DataFormatException(path, headerLine, $"missing header column '{names[n]}' (header is '{string.Join(",", header)}').");
            }
        }

        return positions;
    }

    /// <summary>Position of a column in the header, or -1.</summary>
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
}
