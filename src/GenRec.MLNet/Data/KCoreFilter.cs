namespace GenRec.MLNet.Data;

/// <summary>
/// k-core filtering, the standard preprocessing of sequential-recommendation benchmarks (e.g. the 5-core
/// Amazon and MovieLens sets): repeatedly drop users and items with fewer than k interactions until none is left.
/// </summary>
/// <remarks>
/// One pass is not enough: dropping a rare item can push one of its users below k, whose removal can in turn push
/// another item below k, so the filter repeats until nothing changes. Counts are interaction events (a repeated
/// user–item pair counts each time).
/// </remarks>
public static class KCoreFilter
{
    /// <summary>Returns the k-core of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">Source dataset; it is not modified.</param>
    /// <param name="k">Minimum number of interactions every remaining user and item must have (≥ 1).</param>
    /// <returns>
    /// A dataset re-indexed densely over the remaining users and items (keeping their relative order, original IDs and
    /// item text), with the remaining events in their original order and with their timestamps.
    /// </returns>
    public static InteractionDataset Apply(InteractionDataset dataset, int k)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

        var users = dataset.UserIndices;
        var items = dataset.ItemIndices;
        var userCount = new int[dataset.UserCount];
        var itemCount = new int[dataset.ItemCount];
        for (int e = 0; e < users.Length; e++)
        {
            userCount[users[e]]++;
            itemCount[items[e]]++;
        }

        var alive = new bool[users.Length];
        Array.Fill(alive, true);
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int e = 0; e < users.Length; e++)
            {
                if (alive[e] && (userCount[users[e]] < k || itemCount[items[e]] < k))
                {
                    // Counts drop immediately, so later events in the same pass already see the effect;
                    // the fixed point is the same as with pass-by-pass counting.
                    alive[e] = false;
                    userCount[users[e]]--;
                    itemCount[items[e]]--;
                    changed = true;
                }
            }
        }

        var kept = new List<int>();
        for (int e = 0; e < alive.Length; e++)
        {
            if (alive[e])
            {
                kept.Add(e);
            }
        }

        return DatasetSlicing.SelectAndReindex(dataset, kept.ToArray());
    }
}
