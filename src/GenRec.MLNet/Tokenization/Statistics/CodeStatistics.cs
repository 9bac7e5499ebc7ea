using System.Globalization;
using System.Text;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Quality figures of a set of semantic IDs: how many items share an ID (collisions) and how well each level uses
/// its codebook (utilization, entropy, perplexity, distinct prefixes) — the numbers LETTER and TIGER report to show
/// codebook collapse and ID uniqueness, computed the same way for every tokenizer.
/// </summary>
/// <remarks>
/// <para>A "bucket" is the set of items with one full ID. The unique rate is buckets / items; the collision rate is
/// the share of items in a bucket of two or more (two items sharing an ID count as two colliding items).</para>
/// <para>LETTER's and LC-Rec's index scripts print a different "Collision Rate": (items − distinct IDs) / items, which
/// counts only the items beyond the first in each bucket. That figure is <see cref="DuplicateRate"/>; use it when
/// comparing with their logs or papers (e.g. 0.11% for LETTER's Beauty codes, whose collision rate here is 0.20%).</para>
/// </remarks>
public sealed class CodeStatistics
{
    private readonly LevelCodeStatistics[] _levels;
    private readonly int[] _codebookSizes;

    private CodeStatistics(int itemCount, int[] codebookSizes, int collidingItems, int collidingGroups, int largestBucket, LevelCodeStatistics[] levels)
    {
        ItemCount = itemCount;
        _codebookSizes = codebookSizes;
        CollidingItems = collidingItems;
        CollidingGroups = collidingGroups;
        LargestBucket = largestBucket;
        _levels = levels;
    }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>Number of levels (codes per ID).</summary>
    public int Levels => _levels.Length;

    /// <summary>Codebook size of each level.</summary>
    public IReadOnlyList<int> CodebookSizes => _codebookSizes;

    /// <summary>Number of distinct full IDs.</summary>
    public int DistinctIds => _levels[^1].DistinctPrefixes;

    /// <summary><see cref="DistinctIds"/> / <see cref="ItemCount"/>; 1 when every item has its own ID.</summary>
    public double UniqueRate => (double)DistinctIds / ItemCount;

    /// <summary>Number of items whose full ID is shared with at least one other item.</summary>
    public int CollidingItems { get; }

    /// <summary><see cref="CollidingItems"/> / <see cref="ItemCount"/>.</summary>
    public double CollisionRate => (double)CollidingItems / ItemCount;

    /// <summary>Items beyond the first in each bucket: <see cref="ItemCount"/> − <see cref="DistinctIds"/>.</summary>
    public int DuplicateItems => ItemCount - DistinctIds;

    /// <summary>
    /// <see cref="DuplicateItems"/> / <see cref="ItemCount"/> = 1 − <see cref="UniqueRate"/>: the "Collision Rate"
    /// that LETTER's and LC-Rec's index generation scripts print.
    /// </summary>
    public double DuplicateRate => (double)DuplicateItems / ItemCount;

    /// <summary>Number of full IDs held by two or more items.</summary>
    public int CollidingGroups { get; }

    /// <summary>The most items that share one full ID (1 when there are no collisions).</summary>
    public int LargestBucket { get; }

    /// <summary>Per-level figures, index 0 = first (coarsest) level.</summary>
    public IReadOnlyList<LevelCodeStatistics> PerLevel => _levels;

    /// <summary>Computes the statistics of <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">The table has no items, for which the rates are undefined.</exception>
    public static CodeStatistics Compute(SemanticIdTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.ItemCount == 0)
        {
            throw new ArgumentException("Code statistics need at least one item.", nameof(table));
        }

        int n = table.ItemCount;
        int levels = table.Levels;
        int[] codes = table.AllCodes.ToArray();

        // Sorting the items by their code rows puts every shared prefix into one contiguous run, so a single scan
        // yields the prefix counts of all levels and the buckets of full IDs without hashing variable-length keys.
        int[] order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (x, y) => codes.AsSpan(x * levels, levels).SequenceCompareTo(codes.AsSpan(y * levels, levels)));

        var prefixCount = new int[levels];
        var prefixEntropy = new double[levels];
        var runStart = new int[levels];
        int collidingItems = 0, collidingGroups = 0, largestBucket = 0;
        for (int i = 1; i <= n; i++)
        {
            int common = i < n ? CommonPrefix(codes, order[i - 1], order[i], levels) : 0;
            // Runs of every prefix longer than the common part end here.
            for (int level = common; level < levels; level++)
            {
                int run = i - runStart[level];
                runStart[level] = i;
                prefixCount[level]++;
                prefixEntropy[level] -= EntropyTerm(run, n);
                if (level == levels - 1)
                {
                    largestBucket = Math.Max(largestBucket, run);
                    if (run > 1)
                    {
                        collidingGroups++;
                        collidingItems += run;
                    }
                }
            }
        }

        var perLevel = new LevelCodeStatistics[levels];
        for (int level = 0; level < levels; level++)
        {
            var counts = new int[table.CodebookSizes[level]];
            for (int item = 0; item < n; item++)
            {
                counts[codes[item * levels + level]]++;
            }

            double entropy = -counts.Sum(c => EntropyTerm(c, n));
            double conditional = prefixEntropy[level] - (level > 0 ? prefixEntropy[level - 1] : 0);
            perLevel[level] = new LevelCodeStatistics(
                level,
                counts.Length,
                counts.Count(c => c > 0),
                counts.Max(),
                entropy,
                prefixCount[level],
                Math.Max(0, conditional)); // guards a −1e−16 from rounding when a level adds nothing
        }

        return new CodeStatistics(n, [.. table.CodebookSizes], collidingItems, collidingGroups, largestBucket, perLevel);
    }

    /// <summary>
    /// The figures as <c>key=value</c> pairs for benchmark RESULT lines: stable lower-case keys (<c>items</c>,
    /// <c>unique_rate</c>, <c>collision_rate</c>, <c>largest_bucket</c>, <c>l1_used</c>, <c>l1_utilization</c>,
    /// <c>l1_entropy_bits</c>, <c>l1_perplexity</c>, ...; levels numbered from 1), invariant culture, rates with 6
    /// decimals (collision rates are often around 0.001) and entropies with 4.
    /// </summary>
    /// <param name="prefix">Prepended as <c>{prefix}_</c> to every key (e.g. <c>letter</c>); none when empty.</param>
    public IEnumerable<(string Key, string Value)> ToKeyValues(string prefix = "")
    {
        string head = string.IsNullOrEmpty(prefix) ? string.Empty : prefix.TrimEnd('_') + "_";
        yield return (head + "items", Count(ItemCount));
        yield return (head + "levels", Count(Levels));
        yield return (head + "unique_ids", Count(DistinctIds));
        yield return (head + "unique_rate", Rate(UniqueRate));
        yield return (head + "colliding_items", Count(CollidingItems));
        yield return (head + "collision_rate", Rate(CollisionRate));
        yield return (head + "duplicate_items", Count(DuplicateItems));
        yield return (head + "duplicate_rate", Rate(DuplicateRate));
        yield return (head + "colliding_groups", Count(CollidingGroups));
        yield return (head + "largest_bucket", Count(LargestBucket));
        foreach (var level in _levels)
        {
            string l = $"{head}l{Count(level.Level + 1)}_";
            yield return (l + "codebook", Count(level.CodebookSize));
            yield return (l + "used", Count(level.UsedCodes));
            yield return (l + "utilization", Rate(level.Utilization));
            yield return (l + "largest_code", Count(level.LargestCodeCount));
            yield return (l + "entropy_nats", Figure(level.EntropyNats));
            yield return (l + "entropy_bits", Figure(level.EntropyBits));
            yield return (l + "perplexity", Figure(level.Perplexity));
            yield return (l + "prefixes", Count(level.DistinctPrefixes));
            yield return (l + "cond_entropy_bits", Figure(level.ConditionalEntropyBits));
        }
    }

    /// <summary>A readable table: the collision figures, then one row per level.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Semantic IDs: {ItemCount} items, {Levels} levels");
        text.AppendLine(CultureInfo.InvariantCulture, $"  distinct IDs     {DistinctIds} (unique rate {UniqueRate:P3})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  colliding items  {CollidingItems} (collision rate {CollisionRate:P3}) in {CollidingGroups} groups; largest bucket {LargestBucket}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  duplicate items  {DuplicateItems} (duplicate rate {DuplicateRate:P3}, LETTER's \"collision rate\")");
        text.AppendLine("  level  codebook   used  utilization  largest code  entropy (bits)  perplexity  prefixes  cond. entropy (bits)");
        foreach (var level in _levels)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {level.Level + 1,5}  {level.CodebookSize,8}  {level.UsedCodes,5}  {level.Utilization,11:P2}  {level.LargestCodeCount,12}  {level.EntropyBits,14:F4}  {level.Perplexity,10:F2}  {level.DistinctPrefixes,8}  {level.ConditionalEntropyBits,19:F4}");
        }

        return text.ToString();
    }

    private static int CommonPrefix(int[] codes, int x, int y, int levels)
    {
        int level = 0;
        while (level < levels && codes[x * levels + level] == codes[y * levels + level])
        {
            level++;
        }

        return level;
    }

    /// <summary>p·ln p for p = count / total, with 0·ln 0 = 0.</summary>
    private static double EntropyTerm(int count, int total)
    {
        if (count == 0)
        {
            return 0;
        }

        double p = (double)count / total;
        return p * Math.Log(p);
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    private static string Figure(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
