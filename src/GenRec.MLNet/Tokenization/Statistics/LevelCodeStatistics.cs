namespace GenRec.MLNet.Tokenization;

/// <summary>
/// How one level of a semantic ID table uses its codebook: how many codes are used, how evenly (entropy,
/// perplexity), and how finely it splits the items given the levels above it (distinct prefixes, conditional entropy).
/// </summary>
/// <remarks>
/// Entropy is that of the level's code distribution over items, −Σ p·ln p; perplexity is e^entropy, the number of
/// equally used codes that would give the same entropy. A collapsed codebook shows as perplexity far below the
/// number of codes used; a uniform one as perplexity equal to it.
/// </remarks>
public sealed class LevelCodeStatistics
{
    internal LevelCodeStatistics(
        int level,
        int codebookSize,
        int usedCodes,
        int largestCodeCount,
        double entropyNats,
        int distinctPrefixes,
        double conditionalEntropyNats)
    {
        Level = level;
        CodebookSize = codebookSize;
        UsedCodes = usedCodes;
        LargestCodeCount = largestCodeCount;
        EntropyNats = entropyNats;
        DistinctPrefixes = distinctPrefixes;
        ConditionalEntropyNats = conditionalEntropyNats;
    }

    /// <summary>0-based level (0 is the first, coarsest code).</summary>
    public int Level { get; }

    /// <summary>Size of this level's codebook.</summary>
    public int CodebookSize { get; }

    /// <summary>Number of distinct codes that at least one item has on this level.</summary>
    public int UsedCodes { get; }

    /// <summary><see cref="UsedCodes"/> / <see cref="CodebookSize"/>.</summary>
    public double Utilization => (double)UsedCodes / CodebookSize;

    /// <summary>Number of items that have this level's most frequent code.</summary>
    public int LargestCodeCount { get; }

    /// <summary>Entropy of the code distribution on this level, in nats.</summary>
    public double EntropyNats { get; }

    /// <summary>Entropy of the code distribution on this level, in bits.</summary>
    public double EntropyBits => EntropyNats / Math.Log(2);

    /// <summary>e^<see cref="EntropyNats"/>: the effective number of codes used.</summary>
    public double Perplexity => Math.Exp(EntropyNats);

    /// <summary>
    /// Number of distinct ID prefixes made of levels 0..Level (for the last level: the number of distinct full IDs).
    /// </summary>
    public int DistinctPrefixes { get; }

    /// <summary>
    /// Entropy of this level's code given the codes of the levels above, H(prefix up to this level) − H(prefix above),
    /// in nats: how much this level still tells items apart once the coarser levels are known.
    /// </summary>
    public double ConditionalEntropyNats { get; }

    /// <summary><see cref="ConditionalEntropyNats"/> in bits.</summary>
    public double ConditionalEntropyBits => ConditionalEntropyNats / Math.Log(2);
}
