namespace GenRec.MLNet.Data;

/// <summary>
/// Builds a dataset from a chosen subsequence of another dataset's events, the common core of
/// re-ordering, filtering and splitting, so IDs, item text and timestamps are carried over in one place.
/// </summary>
internal static class DatasetSlicing
{
    /// <summary>Selects events (in the given order) and keeps the source's full user and item index space.</summary>
    public static InteractionDataset Select(InteractionDataset source, int[] events)
    {
        var users = new int[events.Length];
        var items = new int[events.Length];
        var times = source.Timestamps != null ? new long[events.Length] : null;
        for (int i = 0; i < events.Length; i++)
        {
            int e = events[i];
            users[i] = source.UserIndices[e];
            items[i] = source.ItemIndices[e];
            if (times != null)
            {
                times[i] = source.Timestamps![e];
            }
        }

        return new InteractionDataset(source.UserIds, source.ItemIds, users, items, times, source.ItemText);
    }

    /// <summary>
    /// Selects events (in the given order) and re-indexes densely: only users and items that occur in the
    /// selection remain, keeping their relative order from the source, their IDs and their text.
    /// </summary>
    public static InteractionDataset SelectAndReindex(InteractionDataset source, int[] events)
    {
        var userMap = DenseMap(source.UserCount, events, source.UserIndices, out var userIds, source.UserIds);
        var itemMap = DenseMap(source.ItemCount, events, source.ItemIndices, out var itemIds, source.ItemIds);
        string?[]? text = null;
        if (source.ItemText != null)
        {
            text = new string?[itemIds.Length];
            for (int old = 0; old < source.ItemCount; old++)
            {
                if (itemMap[old] >= 0)
                {
                    text[itemMap[old]] = source.ItemText[old];
                }
            }
        }

        var users = new int[events.Length];
        var items = new int[events.Length];
        var times = source.Timestamps != null ? new long[events.Length] : null;
        for (int i = 0; i < events.Length; i++)
        {
            int e = events[i];
            users[i] = userMap[source.UserIndices[e]];
            items[i] = itemMap[source.ItemIndices[e]];
            if (times != null)
            {
                times[i] = source.Timestamps![e];
            }
        }

        return new InteractionDataset(userIds, itemIds, users, items, times, text);
    }

    /// <summary>Maps each old index that occurs in the events to a new dense index (others to -1).</summary>
    private static int[] DenseMap(int count, int[] events, int[] indexOfEvent, out string[] ids, IReadOnlyList<string> oldIds)
    {
        var present = new bool[count];
        foreach (int e in events)
        {
            present[indexOfEvent[e]] = true;
        }

        var map = new int[count];
        var kept = new List<string>();
        for (int old = 0; old < count; old++)
        {
            map[old] = present[old] ? kept.Count : -1;
            if (present[old])
            {
                kept.Add(oldIds[old]);
            }
        }

        ids = kept.ToArray();
        return map;
    }
}
