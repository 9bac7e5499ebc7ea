namespace GenRec.MLNet.Tokenization;

/// <summary>
/// The semantic IDs of a catalog: for every item (0-based index) one code per level, each code in
/// 0..CodebookSizes[level]-1. Produced by the tokenizers, imported from files (e.g. LETTER's released codes),
/// read by code statistics and by the generative recommender's vocabulary and prefix trie.
/// </summary>
public sealed class SemanticIdTable
{
    private readonly int[] _codes;
    private readonly int[] _codebookSizes;

    /// <summary>Creates a table from per-item code rows (all of the same length) and the size of each level's codebook.</summary>
    public SemanticIdTable(IReadOnlyList<int[]> codesByItem, IReadOnlyList<int> codebookSizes)
    {
        ArgumentNullException.ThrowIfNull(codesByItem);
        ArgumentNullException.ThrowIfNull(codebookSizes);
        if (codebookSizes.Count == 0)
        {
            throw new ArgumentException("At least one level is required.", nameof(codebookSizes));
        }

        int levels = codebookSizes.Count;
        for (int level = 0; level < levels; level++)
        {
            if (codebookSizes[level] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(codebookSizes), $"Level {level} has codebook size {codebookSizes[level]}; it must be at least 1.");
            }
        }

        _codes = new int[codesByItem.Count * levels];
        for (int item = 0; item < codesByItem.Count; item++)
        {
            int[] row = codesByItem[item] ?? throw new ArgumentException($"Item {item} has no codes.", nameof(codesByItem));
            if (row.Length != levels)
            {
                throw new ArgumentException($"Item {item} has {row.Length} codes but there are {levels} levels.", nameof(codesByItem));
            }

            for (int level = 0; level < levels; level++)
            {
                if ((uint)row[level] >= (uint)codebookSizes[level])
                {
                    throw new ArgumentOutOfRangeException(nameof(codesByItem), $"Item {item} has code {row[level]} at level {level}, outside 0..{codebookSizes[level] - 1}.");
                }

                _codes[item * levels + level] = row[level];
            }
        }

        _codebookSizes = codebookSizes.ToArray();
        ItemCount = codesByItem.Count;
    }

    /// <summary>
    /// A table from codes read out of a column (a tokenizer stage's output), which carries codes but not the
    /// codebook sizes: each level's size is its largest code + 1, room for every code that occurs.
    /// </summary>
    internal static SemanticIdTable FromObservedCodes(int[][] codesByItem)
    {
        var sizes = new int[codesByItem[0].Length];
        foreach (int[] codes in codesByItem)
        {
            for (int level = 0; level < sizes.Length; level++)
            {
                sizes[level] = Math.Max(sizes[level], codes[level] + 1);
            }
        }

        return new SemanticIdTable(codesByItem, sizes);
    }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>Number of levels (codes per item).</summary>
    public int Levels => _codebookSizes.Length;

    /// <summary>Codebook size of each level.</summary>
    public IReadOnlyList<int> CodebookSizes => _codebookSizes;

    /// <summary>The codes of one item, one per level.</summary>
    public ReadOnlySpan<int> this[int item] => _codes.AsSpan(checked(item * Levels), Levels);

    /// <summary>The codes of one item as a new array.</summary>
    public int[] GetCodes(int item) => this[item].ToArray();

    /// <summary>All codes, row-major [ItemCount × Levels].</summary>
    public ReadOnlySpan<int> AllCodes => _codes;

    /// <summary>The ID of an item as text, e.g. "&lt;a_12&gt;&lt;b_3&gt;&lt;c_200&gt;&lt;d_7&gt;" (letters name the levels, as in LETTER's files).</summary>
    public string Format(int item)
    {
        var parts = new string[Levels];
        for (int level = 0; level < Levels; level++)
        {
            parts[level] = $"<{(char)('a' + level)}_{this[item][level]}>";
        }

        return string.Concat(parts);
    }
}
