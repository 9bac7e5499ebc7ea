namespace GenRec.MLNet.Data;

/// <summary>Order-related transformations of an <see cref="InteractionDataset"/>; each returns a new dataset.</summary>
public static class InteractionDatasetExtensions
{
    /// <summary>
    /// Returns the events grouped by user (in user index order) and, within a user, sorted by timestamp.
    /// The sort is stable: events with equal timestamps keep their load order, which matters because many
    /// sources log several events in the same second. Without timestamps the events are only grouped by user,
    /// each user's events keeping their load order.
    /// </summary>
    /// <param name="dataset">The dataset to order; it is not modified.</param>
    /// <returns>A dataset with the same users, items, IDs and text, and re-ordered events.</returns>
    public static InteractionDataset OrderByTime(this InteractionDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var users = dataset.UserIndices;
        var times = dataset.Timestamps;
        var order = new int[dataset.InteractionCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Array.Sort is not stable, so the event index is the final tie-breaker.
        Comparison<int> compare = times != null
            ? (a, b) =>
            {
                int c = users[a].CompareTo(users[b]);
                if (c == 0)
                {
                    c = times[a].CompareTo(times[b]);
                }

                return c != 0 ? c : a.CompareTo(b);
            }
            : (a, b) =>
            {
                int c = users[a].CompareTo(users[b]);
                return c != 0 ? c : a.CompareTo(b);
            };
        Array.Sort(order, compare);
        return DatasetSlicing.Select(dataset, order);
    }
}
