namespace GenRec.MLNet.Data;

/// <summary>Splits a dataset of ordered user sequences for sequential-recommendation training and evaluation.</summary>
public static class SequenceSplitter
{
    /// <summary>
    /// Leave-one-out: per user, the last item is the test target, the second-to-last the validation target, and
    /// everything earlier is training data. Users with fewer than 3 items are kept entirely in training and get no
    /// evaluation case (see <see cref="LeaveOneOutSplit"/>).
    /// </summary>
    /// <param name="dataset">
    /// The dataset; each user's sequence is its events in dataset order, so call
    /// <see cref="InteractionDatasetExtensions.OrderByTime"/> first when the events are not chronological.
    /// </param>
    /// <param name="maxHistory">
    /// How many of the most recent items a case's <see cref="SequenceCase.History"/> keeps (20 in TIGER / LETTER);
    /// 0 or less keeps the whole history. <see cref="SequenceCase.FullHistory"/> always has everything.
    /// </param>
    public static LeaveOneOutSplit LeaveOneOut(InteractionDataset dataset, int maxHistory = 20)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var eventsByUser = EventsByUser(dataset);
        var trainSequences = new int[dataset.UserCount][];
        var validation = new List<SequenceCase>();
        var test = new List<SequenceCase>();
        for (int u = 0; u < dataset.UserCount; u++)
        {
            var events = eventsByUser[u];
            var sequence = new int[events.Length];
            for (int p = 0; p < events.Length; p++)
            {
                sequence[p] = dataset.ItemIndices[events[p]];
            }

            if (sequence.Length < 3)
            {
                trainSequences[u] = sequence;
                continue;
            }

            int n = sequence.Length;
            var train = sequence[..(n - 2)];
            var beforeTest = sequence[..(n - 1)];
            trainSequences[u] = train;
            validation.Add(new SequenceCase(u, train, Cap(train, maxHistory), sequence[n - 2]));
            test.Add(new SequenceCase(u, beforeTest, Cap(beforeTest, maxHistory), sequence[n - 1]));
        }

        return new LeaveOneOutSplit(dataset, maxHistory, eventsByUser, trainSequences, validation.ToArray(), test.ToArray());
    }

    /// <summary>The last <paramref name="max"/> items (a copy only when capping actually drops items).</summary>
    private static int[] Cap(int[] history, int max) =>
        max > 0 && history.Length > max ? history[^max..] : history;

    /// <summary>Per user, the indices of the user's events in dataset order (the same order as <see cref="InteractionDataset.SequencesByUser"/>).</summary>
    private static int[][] EventsByUser(InteractionDataset dataset)
    {
        var counts = new int[dataset.UserCount];
        foreach (int u in dataset.UserIndices)
        {
            counts[u]++;
        }

        var events = new int[dataset.UserCount][];
        for (int u = 0; u < events.Length; u++)
        {
            events[u] = new int[counts[u]];
        }

        var filled = new int[dataset.UserCount];
        for (int e = 0; e < dataset.InteractionCount; e++)
        {
            int u = dataset.UserIndices[e];
            events[u][filled[u]++] = e;
        }

        return events;
    }
}
