using System.Globalization;
using System.Text;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Code statistics of the same items before and after collision resolution (LETTER's Sinkhorn re-assignment,
/// TIGER's extra disambiguation level), plus how many items the resolution moved — so a report shows both what
/// the tokenizer learned and what the fix-up cost.
/// </summary>
public sealed class CodeStatisticsComparison
{
    private CodeStatisticsComparison(CodeStatistics before, CodeStatistics after, int changedItems)
    {
        Before = before;
        After = after;
        ChangedItems = changedItems;
    }

    /// <summary>Statistics of the raw codes.</summary>
    public CodeStatistics Before { get; }

    /// <summary>Statistics of the codes after collision resolution.</summary>
    public CodeStatistics After { get; }

    /// <summary>
    /// Items whose codes differ on the levels both tables have. An appended disambiguation level (TIGER) keeps the
    /// shared levels, so it changes no item; a re-assignment of the last code (LETTER) counts every moved item.
    /// </summary>
    public int ChangedItems { get; }

    /// <summary>Computes both statistics and the number of changed items.</summary>
    /// <exception cref="ArgumentException">The tables hold different numbers of items.</exception>
    public static CodeStatisticsComparison Compute(SemanticIdTable before, SemanticIdTable after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.ItemCount != after.ItemCount)
        {
            throw new ArgumentException($"Before has {before.ItemCount} items and after has {after.ItemCount}; collision resolution must keep the items.", nameof(after));
        }

        int shared = Math.Min(before.Levels, after.Levels);
        int changed = 0;
        for (int item = 0; item < before.ItemCount; item++)
        {
            if (!before[item][..shared].SequenceEqual(after[item][..shared]))
            {
                changed++;
            }
        }

        return new CodeStatisticsComparison(CodeStatistics.Compute(before), CodeStatistics.Compute(after), changed);
    }

    /// <summary>
    /// Both statistics' key/value pairs, keys prefixed <c>{prefix}_before_</c> and <c>{prefix}_after_</c> (just
    /// <c>before_</c> / <c>after_</c> without a prefix), followed by <c>{prefix}_changed_items</c>.
    /// </summary>
    public IEnumerable<(string Key, string Value)> ToKeyValues(string prefix = "")
    {
        string head = string.IsNullOrEmpty(prefix) ? string.Empty : prefix.TrimEnd('_') + "_";
        return Before.ToKeyValues(head + "before")
            .Concat(After.ToKeyValues(head + "after"))
            .Append((head + "changed_items", ChangedItems.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Both tables, labelled, and the number of changed items.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Before collision resolution: ").Append(Before);
        text.Append("After collision resolution: ").Append(After);
        text.AppendLine(CultureInfo.InvariantCulture, $"Items whose codes changed: {ChangedItems} of {Before.ItemCount}");
        return text.ToString();
    }
}
