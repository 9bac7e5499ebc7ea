namespace GenRec.Cli.Input;

/// <summary>
/// Interactions read from a file in any supported format, with the item titles the file (or an items file) gives:
/// what every command works from before it becomes an ML.NET <c>IDataView</c>.
/// </summary>
public sealed class InteractionTable
{
    /// <summary>Creates a table; an empty row list is refused because no model can be trained or scored on it.</summary>
    public InteractionTable(string source, IReadOnlyList<InteractionRow> rows, IReadOnlyDictionary<string, string> itemTitles, bool hasTimestamps)
    {
        if (rows.Count == 0)
        {
            throw new CliException($"{source}: no interactions found");
        }

        Source = source;
        Rows = rows;
        ItemTitles = itemTitles;
        HasTimestamps = hasTimestamps;
    }

    /// <summary>The path the interactions came from (for messages).</summary>
    public string Source { get; }

    /// <summary>The interactions in file order; without timestamps in the file, the row number is the timestamp.</summary>
    public IReadOnlyList<InteractionRow> Rows { get; }

    /// <summary>Item ID → title (or descriptive text); empty when neither the file nor an items file gives any.</summary>
    public IReadOnlyDictionary<string, string> ItemTitles { get; }

    /// <summary>True when the file had timestamps; false when file order stands in for time.</summary>
    public bool HasTimestamps { get; }

    /// <summary>Number of distinct users.</summary>
    public int CountUsers() => Rows.Select(r => r.User).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Number of distinct items.</summary>
    public int CountItems() => Rows.Select(r => r.Item).Distinct(StringComparer.Ordinal).Count();
}
