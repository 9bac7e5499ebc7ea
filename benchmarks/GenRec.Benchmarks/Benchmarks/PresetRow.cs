namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// One row of <c>presets-movielens</c>: a recipe run end to end through one ML.NET pipeline. The key selects it in
/// <c>--rows</c> and prefixes its RESULT figures.
/// </summary>
/// <param name="Key">The <c>--rows</c> name and RESULT key prefix (<c>tiger_recall_10</c>, ...).</param>
/// <param name="Description">One line for the log and the table.</param>
/// <param name="ReadsText">Whether the row's tokenizer reads the MiniLM vectors of the item texts.</param>
/// <param name="ReadsSasRec">Whether the row's pipeline has the SASRec stage (its tokenizer reads <c>ItemEmbedding</c>).</param>
internal sealed record PresetRow(string Key, string Description, bool ReadsText, bool ReadsSasRec)
{
    /// <summary>The library's default tokenizer and generative options over the same stages as LETTER.</summary>
    public static PresetRow Default { get; } = new("default", "library defaults: RQ-VAE (text, CF regularizer on SASRec) -> generative", true, true);

    /// <summary><c>GenRecPresets.Tiger()</c>: RQ-VAE on text alone, encoder-decoder with a user token.</summary>
    public static PresetRow Tiger { get; } = new("tiger", "GenRecPresets.Tiger(): RQ-VAE (text) -> encoder-decoder", true, false);

    /// <summary><c>GenRecPresets.Letter()</c>: RQ-VAE on text with LETTER's regularizers against SASRec, encoder-decoder.</summary>
    public static PresetRow Letter { get; } = new("letter", "GenRecPresets.Letter(): RQ-VAE (text + SASRec regularizers) -> encoder-decoder", true, true);

    /// <summary><c>GenRecPresets.TokenRec()</c>: masked K-way codes of SASRec's item and user embeddings, generative retrieval.</summary>
    public static PresetRow TokenRec { get; } = new("tokenrec", "GenRecPresets.TokenRec(): masked K-way (SASRec items + users) -> retrieval", false, true);

    /// <summary>Every row, in the order they run and are printed.</summary>
    public static IReadOnlyList<PresetRow> All { get; } = [Default, Tiger, Letter, TokenRec];

    /// <summary>
    /// The rows <c>--rows</c> names, comma-separated keys in any order and case (run in <see cref="All"/>'s order);
    /// all of them when <paramref name="option"/> is null.
    /// </summary>
    /// <exception cref="UsageException">A name is unknown or repeated, or the list is empty.</exception>
    public static IReadOnlyList<PresetRow> Parse(string? option)
    {
        if (option is null)
        {
            return All;
        }

        var chosen = new HashSet<PresetRow>();
        foreach (string name in option.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            PresetRow row = All.FirstOrDefault(r => string.Equals(name, r.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--rows: unknown row '{name}'; the rows are {string.Join(", ", All.Select(r => r.Key))}.");
            if (!chosen.Add(row))
            {
                throw new UsageException($"--rows names row '{row.Key}' twice.");
            }
        }

        return chosen.Count > 0
            ? [.. All.Where(chosen.Contains)]
            : throw new UsageException($"--rows names no row; got '{option}'.");
    }

    /// <inheritdoc />
    public override string ToString() => Key;
}
