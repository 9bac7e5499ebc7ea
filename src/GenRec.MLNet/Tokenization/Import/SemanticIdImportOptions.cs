namespace GenRec.MLNet.Tokenization;

/// <summary>
/// How <see cref="SemanticIdCodeFileImporter"/> sizes the codebooks and checks the item range of an imported code file.
/// </summary>
/// <remarks>
/// A code file only shows the codes that were used, not how large each codebook was, so the size is either given
/// (default 256 per level, as in TIGER and LETTER) or inferred as the largest code seen plus one. Giving it matters
/// for statistics: utilization is "codes used / codebook size", and an inferred size hides unused codes at the top.
/// </remarks>
public sealed class SemanticIdImportOptions
{
    /// <summary>The codebook size TIGER and LETTER use on every level.</summary>
    public const int DefaultCodebookSize = 256;

    /// <summary>
    /// Codebook size of every level when <see cref="CodebookSizes"/> is not set and
    /// <see cref="InferCodebookSizes"/> is false. Default 256.
    /// </summary>
    public int CodebookSize { get; init; } = DefaultCodebookSize;

    /// <summary>
    /// Per-level codebook sizes; their count must match the file's number of levels. Overrides
    /// <see cref="CodebookSize"/>; must not be combined with <see cref="InferCodebookSizes"/>.
    /// </summary>
    public IReadOnlyList<int>? CodebookSizes { get; init; }

    /// <summary>When true, each level's codebook size is the largest code found on that level plus one.</summary>
    public bool InferCodebookSizes { get; init; }

    /// <summary>
    /// The number of items the codes must cover (e.g. the catalog size of the interaction data). When set, every
    /// item index must be below it and every item 0..ItemCount−1 must have codes; when null, the file's item
    /// indices must be exactly 0..n−1 for the n entries it holds.
    /// </summary>
    public int? ItemCount { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for contradictory or out-of-range settings.</summary>
    internal void Validate()
    {
        if (CodebookSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookSize), CodebookSize, "The codebook size must be at least 1.");
        }

        if (ItemCount is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ItemCount), ItemCount, "The item count must not be negative.");
        }

        if (CodebookSizes != null)
        {
            if (InferCodebookSizes)
            {
                throw new ArgumentException("Give either CodebookSizes or InferCodebookSizes, not both.", nameof(CodebookSizes));
            }

            if (CodebookSizes.Count == 0 || CodebookSizes.Any(size => size < 1))
            {
                throw new ArgumentException("CodebookSizes must hold at least one size, each at least 1.", nameof(CodebookSizes));
            }
        }
    }
}
