namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// The known-answer task: every user's sequence is a run of consecutive items on a ring, next item = (item + 1) mod N,
/// from a random start. Held out last, the answer is fully determined by the last history item, so a model that learns
/// anything about order must reach Recall@1 ≈ 1.
/// </summary>
/// <remarks>
/// Ideal codes are the item's position written in base <see cref="CodeWidth"/>: (item / w, item mod w). The successor
/// of an item then usually shares its first code and always has the next second code (mod w), so the mapping is simple
/// in code space and also a plain lookup for models over item embeddings.
/// </remarks>
internal static class NextItemTask
{
    public const int ItemCount = 36;

    public const int CodeWidth = 6;

    public const int SequenceLength = 6;

    /// <summary>Rows of <paramref name="userCount"/> users, each a run of <see cref="SequenceLength"/> items from a seeded random start.</summary>
    public static CodedInteraction[] Rows(int userCount, int seed)
    {
        var random = new Random(seed);
        var rows = new List<CodedInteraction>(userCount * SequenceLength);
        for (int user = 0; user < userCount; user++)
        {
            int start = random.Next(ItemCount);
            for (int step = 0; step < SequenceLength; step++)
            {
                int item = (start + step) % ItemCount;
                rows.Add(new CodedInteraction { User = $"u{user}", Item = $"i{item}", Timestamp = step, Codes = Codes(item) });
            }
        }

        return [.. rows];
    }

    public static uint[] Codes(int item) => [(uint)(item / CodeWidth), (uint)(item % CodeWidth)];
}
