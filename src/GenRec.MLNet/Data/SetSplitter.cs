namespace GenRec.MLNet.Data;

/// <summary>
/// Random hold-out over each user's item set, the protocol of set-based recommenders such as LightGCN and TokenRec:
/// the history is treated as unordered, so the held-out items are drawn at random rather than taken from the end.
/// </summary>
public static class SetSplitter
{
    /// <summary>
    /// Shuffles each user's distinct items deterministically from <paramref name="seed"/> and the user index, then
    /// holds out the last <paramref name="testItemsPerUser"/> as test targets and, when
    /// <paramref name="withValidation"/>, the one before them as the validation target; the rest is training.
    /// </summary>
    /// <remarks>
    /// A user is only split when at least one training item remains (more than <paramref name="testItemsPerUser"/>
    /// items, plus one with validation); smaller users keep all their items in training and get empty targets.
    /// The shuffle uses its own SplitMix64 generator seeded per user, so a user's split depends only on the seed,
    /// the user index and the user's items — not on other users or on the .NET version.
    /// </remarks>
    /// <param name="dataset">The dataset; repeated user–item pairs count once.</param>
    /// <param name="seed">Seed of the shuffle; the same seed gives the same split.</param>
    /// <param name="testItemsPerUser">Number of test items held out per user (≥ 1).</param>
    /// <param name="withValidation">Also hold out one validation item per user.</param>
    public static SetSplit HoldOut(InteractionDataset dataset, int seed, int testItemsPerUser = 1, bool withValidation = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(testItemsPerUser, 1);
        int heldOut = testItemsPerUser + (withValidation ? 1 : 0);
        var sequences = dataset.SequencesByUser();
        var train = new int[dataset.UserCount][];
        var valid = new int[dataset.UserCount][];
        var test = new int[dataset.UserCount][];
        for (int u = 0; u < dataset.UserCount; u++)
        {
            var items = sequences[u].Distinct().ToArray();
            if (items.Length <= heldOut)
            {
                train[u] = items;
                valid[u] = [];
                test[u] = [];
                continue;
            }

            Shuffle(items, seed, u);
            int trainLength = items.Length - heldOut;
            train[u] = items[..trainLength];
            valid[u] = withValidation ? [items[trainLength]] : [];
            test[u] = items[(items.Length - testItemsPerUser)..];
        }

        return new SetSplit(dataset, train, valid, test);
    }

    /// <summary>Fisher–Yates shuffle driven by SplitMix64 seeded with (seed, user).</summary>
    internal static void Shuffle(int[] items, int seed, int user)
    {
        ulong state = ((ulong)(uint)seed << 32) ^ (uint)user ^ 0x9E3779B97F4A7C15UL;
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)(NextUInt64(ref state) % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong NextUInt64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
