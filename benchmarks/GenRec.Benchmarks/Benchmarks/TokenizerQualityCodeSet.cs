namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// One of the code sets <c>tokenizer-quality-beauty</c> compares: its letter and key (either selects it in
/// <c>--sets</c>; the key also prefixes its RESULT figures), what it is, and which inputs building it needs.
/// </summary>
/// <param name="Letter">Its letter in issue 10's list, a to f.</param>
/// <param name="Key">The RESULT key prefix (<c>letter_recall_10</c>, <c>textcf_l1_entropy</c>, ...).</param>
/// <param name="Description">One line for the log and the table.</param>
/// <param name="NeedsText">Whether it is built from the MiniLM vectors of the item texts.</param>
/// <param name="NeedsSasRec">Whether it is built from (or regularized towards) the SASRec item embeddings.</param>
internal sealed record TokenizerQualityCodeSet(string Letter, string Key, string Description, bool NeedsText, bool NeedsSasRec)
{
    /// <summary>LETTER's released codes, imported from <c>beauty/Beauty.letter-index.json</c>.</summary>
    public static TokenizerQualityCodeSet LetterReleased { get; } = new("a", "letter", "LETTER's released codes (Beauty.letter-index.json)", false, false);

    /// <summary>RQ-VAE on the text vectors alone: no collaborative input, no regularizer.</summary>
    public static TokenizerQualityCodeSet Text { get; } = new("b", "text", "RQ-VAE on MiniLM text vectors", true, false);

    /// <summary>RQ-VAE on the text vectors with LETTER's collaborative regularizer against the SASRec embeddings.</summary>
    public static TokenizerQualityCodeSet TextCf { get; } = new("c", "textcf", "RQ-VAE on text + collaborative regularizer (SASRec)", true, true);

    /// <summary><see cref="TextCf"/> plus LETTER's diversity regularizer: LETTER's recipe.</summary>
    public static TokenizerQualityCodeSet TextCfDiversity { get; } = new("d", "textcfdiv", "RQ-VAE on text + collaborative + diversity (LETTER's recipe)", true, true);

    /// <summary>RQ-VAE on the SASRec item embeddings alone: collaborative-only codes.</summary>
    public static TokenizerQualityCodeSet Cf { get; } = new("e", "cf", "RQ-VAE on SASRec item embeddings (CF only)", false, true);

    /// <summary>Residual k-means on the text vectors with the SASRec embeddings fused in (<c>--cf-weight</c>, default 0.5).</summary>
    public static TokenizerQualityCodeSet RqKMeans { get; } = new("f", "rqkmeans", "residual k-means on text + SASRec fused (--cf-weight)", true, true);

    /// <summary>Every code set, in the order they run and are printed.</summary>
    public static IReadOnlyList<TokenizerQualityCodeSet> All { get; } = [LetterReleased, Text, TextCf, TextCfDiversity, Cf, RqKMeans];

    /// <summary>
    /// The sets <c>--sets</c> names, comma-separated letters or keys in any order (run in <see cref="All"/>'s order);
    /// all of them when <paramref name="option"/> is null.
    /// </summary>
    /// <exception cref="UsageException">A name is unknown or repeated, or the list is empty.</exception>
    public static IReadOnlyList<TokenizerQualityCodeSet> Parse(string? option)
    {
        if (option is null)
        {
            return All;
        }

        var chosen = new HashSet<TokenizerQualityCodeSet>();
        foreach (string name in option.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            TokenizerQualityCodeSet set = All.FirstOrDefault(s => string.Equals(name, s.Letter, StringComparison.OrdinalIgnoreCase) || string.Equals(name, s.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--sets: unknown code set '{name}'; use letters a-f or keys {string.Join(", ", All.Select(s => s.Key))}.");
            if (!chosen.Add(set))
            {
                throw new UsageException($"--sets names code set '{set.Letter}' ({set.Key}) twice.");
            }
        }

        return chosen.Count > 0
            ? [.. All.Where(chosen.Contains)]
            : throw new UsageException($"--sets names no code set; got '{option}'.");
    }

    /// <summary>"(c) textcf": how errors and the log name a set.</summary>
    public override string ToString() => $"({Letter}) {Key}";
}
