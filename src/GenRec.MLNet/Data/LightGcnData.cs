namespace GenRec.MLNet.Data;

/// <summary>
/// A LightGCN / TokenRec-format split as loaded by <see cref="LightGcnFormatLoader"/>: the training interactions
/// and, per user, the held-out test items, over one shared index space.
/// </summary>
public sealed class LightGcnData
{
    /// <summary>Creates the split; <paramref name="testItems"/> must have one (possibly empty) array per user.</summary>
    /// <param name="train">Training interactions; its user and item lists define the index space.</param>
    /// <param name="testItems">Per user, the held-out test items (not in the user's training items).</param>
    public LightGcnData(InteractionDataset train, IReadOnlyList<int[]> testItems)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(testItems);
        if (testItems.Count != train.UserCount)
        {
            throw new ArgumentException($"testItems has {testItems.Count} entries but there are {train.UserCount} users.", nameof(testItems));
        }

        Train = train;
        TestItems = testItems;
    }

    /// <summary>Training interactions in file order (no timestamps: the format describes sets).</summary>
    public InteractionDataset Train { get; }

    /// <summary>Per user, the test items in file order (empty when the user has no test line or nothing new on it).</summary>
    public IReadOnlyList<int[]> TestItems { get; }

    /// <summary>Number of users: the largest user index in either file + 1.</summary>
    public int UserCount => Train.UserCount;

    /// <summary>Number of items: the largest item index in either file + 1.</summary>
    public int ItemCount => Train.ItemCount;

    /// <summary>
    /// Number of distinct (user, item) pairs over training and test together — the "interactions" figure that
    /// papers report for these splits (for Last.fm: 51,461 train + 1,090 test = 52,551).
    /// </summary>
    public int CombinedInteractionCount
    {
        get
        {
            var pairs = new HashSet<long>();
            for (int i = 0; i < Train.InteractionCount; i++)
            {
                pairs.Add(((long)Train.UserIndices[i] << 32) | (uint)Train.ItemIndices[i]);
            }

            for (int u = 0; u < TestItems.Count; u++)
            {
                foreach (int item in TestItems[u])
                {
                    pairs.Add(((long)u << 32) | (uint)item);
                }
            }

            return pairs.Count;
        }
    }

    /// <summary>
    /// The common set-split view: train sets = each user's distinct training items in file order, no validation
    /// targets, test targets = <see cref="TestItems"/>.
    /// </summary>
    public SetSplit ToSetSplit()
    {
        var trainSets = new int[UserCount][];
        var sequences = Train.SequencesByUser();
        for (int u = 0; u < UserCount; u++)
        {
            trainSets[u] = sequences[u].Distinct().ToArray();
        }

        var valid = Enumerable.Range(0, UserCount).Select(_ => Array.Empty<int>()).ToArray();
        return new SetSplit(Train, trainSets, valid, TestItems);
    }
}
