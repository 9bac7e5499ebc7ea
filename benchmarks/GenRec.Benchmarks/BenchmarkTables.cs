using System.Globalization;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Sweeping;
using GenRec.MLNet.Tokenization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GenRec.Benchmarks;

/// <summary>
/// The tables benchmarks log (metrics by K, code statistics per level, sweep trials, the benchmark list) as
/// Spectre.Console tables rendered to plain text: ASCII borders, no colour, wide enough never to wrap, so every row
/// stays one greppable log line.
/// </summary>
internal static class BenchmarkTables
{
    // Wider than any table here (a sweep's trials with a column per option), so no cell is ever wrapped.
    private const int Width = 400;

    /// <summary>The lines of <paramref name="renderable"/> as plain text, trailing spaces removed.</summary>
    public static IReadOnlyList<string> Render(IRenderable renderable)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Width;
        console.Write(renderable);
        return [.. text.ToString().Split('\n').Select(line => line.TrimEnd('\r', ' ')).Where(line => line.Length > 0)];
    }

    /// <summary>One row per metric, one column per K, values to 4 decimals.</summary>
    public static Table Metrics(MetricsTable metrics)
    {
        Table table = Plain().AddColumn("metric");
        foreach (int k in metrics.Ks)
        {
            table.AddColumn(new TableColumn("@" + Number(k)).RightAligned());
        }

        foreach (string metric in metrics.Metrics)
        {
            table.AddRow([metric, .. metrics.Ks.Select(k => metrics[metric, k].ToString("F4", CultureInfo.InvariantCulture))]);
        }

        return table;
    }

    /// <summary>One row per level of <paramref name="statistics"/>.</summary>
    public static Table Levels(CodeStatistics statistics)
    {
        Table table = Plain().AddColumns("level", "codebook", "used", "utilization", "largest code", "entropy (bits)", "perplexity", "prefixes", "cond. entropy (bits)");
        foreach (LevelCodeStatistics level in statistics.PerLevel)
        {
            table.AddRow(
                Number(level.Level + 1), Number(level.CodebookSize), Number(level.UsedCodes),
                level.Utilization.ToString("P2", CultureInfo.InvariantCulture), Number(level.LargestCodeCount),
                level.EntropyBits.ToString("F4", CultureInfo.InvariantCulture), level.Perplexity.ToString("F2", CultureInfo.InvariantCulture),
                Number(level.DistinctPrefixes), level.ConditionalEntropyBits.ToString("F4", CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>
    /// A table of cells the caller formatted: the first column left-aligned (a row's name), the others right-aligned
    /// (figures). Every row must have one cell per column.
    /// </summary>
    public static Table Cells(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        Table table = Plain();
        for (int c = 0; c < columns.Count; c++)
        {
            table.AddColumn(c == 0 ? new TableColumn(Markup.Escape(columns[c])) : new TableColumn(Markup.Escape(columns[c])).RightAligned());
        }

        foreach (IReadOnlyList<string> row in rows)
        {
            if (row.Count != columns.Count)
            {
                throw new ArgumentException($"A row has {row.Count} cells but the table has {columns.Count} columns.", nameof(rows));
            }

            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        return table;
    }

    /// <summary>Every trial of a sweep (the best marked <c>*</c>) with one column per swept option.</summary>
    public static Table Trials<TOptions>(SweepResult<TOptions> result)
        where TOptions : class
    {
        string[] names = [.. result.Trials.SelectMany(t => t.Parameters.Keys).Distinct()];
        Table table = Plain().AddColumns(["", "trial", "config", "rung", "budget", "status", "recall@10", "ndcg@10", "seconds", .. names.Select(n => n[(n.LastIndexOf('.') + 1)..])]);
        foreach (TrialResult<TOptions> trial in result.Trials)
        {
            bool completed = trial.Status == TrialStatus.Completed;
            string[] cells =
            [
                ReferenceEquals(trial, result.BestTrial) ? "*" : "",
                Number(trial.Id), Number(trial.ConfigurationId), Number(trial.Rung),
                trial.Budget is { } budget ? Number(budget) : "-",
                trial.Status.ToString(),
                completed ? trial.ValidationRecallAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
                completed ? trial.ValidationNdcgAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
                trial.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                .. names.Select(n => trial.Parameters.TryGetValue(n, out object? v) ? Value(v) : ""),
            ];
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        return table;
    }

    /// <summary>The <c>list</c> output: name and description, one benchmark per line, no borders.</summary>
    public static Table Listing(IEnumerable<IBenchmark> benchmarks)
    {
        var table = new Table { Border = TableBorder.None, ShowHeaders = false }.AddColumns("name", "description");
        foreach (IBenchmark benchmark in benchmarks)
        {
            table.AddRow(Markup.Escape(benchmark.Name), Markup.Escape(benchmark.Description));
        }

        return table;
    }

    private static Table Plain() => new() { Border = TableBorder.Ascii };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Value(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable sequence and not string => "[" + string.Join(", ", sequence.Cast<object?>().Select(Value)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
