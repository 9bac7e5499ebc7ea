namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// A task where order matters beyond the last item: items are (style, slot) pairs, 24 styles × 6 slots. Each user
/// alternates two styles α ≠ β while the slot steps by one: (α, s), (β, s+1), (α, s+2), … (slots mod 6, 6 events, so no
/// item repeats). The next item's slot follows from the last item, but its style is the style of the item two steps
/// back. The last item alone leaves 23 equally likely styles, which caps co-occurrence (successor counts of the last
/// item) near 10 / 23 at Recall@10; a model that reads the item before it can name the next item exactly.
/// </summary>
/// <remarks>
/// Also a second-order chain cannot be read off windowed co-occurrence: item t − 2 never directly precedes an item of
/// its own style, so its successor counts say nothing about the answer. Ideal codes are (style, slot).
/// </remarks>
internal static class AlternatingStylesTask
{
    public const int Styles = 24;

    public const int Slots = 6;

    public const int SequenceLength = 6;

    public const int ItemCount = Styles * Slots;

    /// <summary>Each user's item indices (style · <see cref="Slots"/> + slot), oldest first.</summary>
    public static int[][] Sequences(int userCount, int seed)
    {
        var random = new Random(seed);
        var sequences = new int[userCount][];
        for (int user = 0; user < userCount; user++)
        {
            int first = random.Next(Styles);
            int second = (first + 1 + random.Next(Styles - 1)) % Styles;
            int slot = random.Next(Slots);
            sequences[user] = Enumerable.Range(0, SequenceLength)
                .Select(step => Item(step % 2 == 0 ? first : second, (slot + step) % Slots))
                .ToArray();
        }

        return sequences;
    }

    public static CodedInteraction[] Rows(int[][] sequences) =>
        sequences.SelectMany((sequence, user) => sequence.Select((item, step) => new CodedInteraction
        {
            User = $"u{user}", Item = $"i{item}", Timestamp = step, Codes = [(uint)(item / Slots), (uint)(item % Slots)],
        })).ToArray();

    private static int Item(int style, int slot) => style * Slots + slot;
}
