namespace GenRec.MLNet.Data;

/// <summary>
/// The one in-memory interaction model every loader produces and every estimator consumes:
/// a list of (user, item, optional timestamp) events over dense 0-based user and item indices,
/// the original IDs of those indices, and an optional text per item.
/// </summary>
/// <remarks>
/// Indices are 0-based here; as ML.NET key values they are shifted by one (key = index + 1, key 0 = unseen).
/// Event order is meaningful: loaders keep each user's events in interaction order, and
/// <see cref="Timestamps"/> (when present) lets <c>OrderByTime</c> restore it.
/// </remarks>
public sealed class InteractionDataset
{
    /// <summary>Creates a dataset; arrays are taken as they are (not copied) and validated.</summary>
    public InteractionDataset(
        IReadOnlyList<string> userIds,
        IReadOnlyList<string> itemIds,
        int[] userIndices,
        int[] itemIndices,
        long[]? timestamps = null,
        IReadOnlyList<string?>? itemText = null)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        ArgumentNullException.ThrowIfNull(userIndices);
        ArgumentNullException.ThrowIfNull(itemIndices);
        if (userIndices.Length != itemIndices.Length)
        {
            throw new ArgumentException($"userIndices has {userIndices.Length} entries but itemIndices has {itemIndices.Length}.", nameof(itemIndices));
        }

        if (timestamps != null && timestamps.Length != userIndices.Length)
        {
            throw new ArgumentException($"timestamps has {timestamps.Length} entries but there are {userIndices.Length} interactions.", nameof(timestamps));
        }

        if (itemText != null && itemText.Count != itemIds.Count)
        {
            throw new ArgumentException($"itemText has {itemText.Count} entries but there are {itemIds.Count} items.", nameof(itemText));
        }

        for (int i = 0; i < userIndices.Length; i++)
        {
            if ((uint)userIndices[i] >= (uint)userIds.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(userIndices), $"Interaction {i} has user index {userIndices[i]}, outside 0..{userIds.Count - 1}.");
            }

            if ((uint)itemIndices[i] >= (uint)itemIds.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(itemIndices), $"Interaction {i} has item index {itemIndices[i]}, outside 0..{itemIds.Count - 1}.");
            }
        }

        UserIds = userIds;
        ItemIds = itemIds;
        UserIndices = userIndices;
        ItemIndices = itemIndices;
        Timestamps = timestamps;
        ItemText = itemText;
    }

    /// <summary>Original user IDs; position = user index.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>Original item IDs; position = item index.</summary>
    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>User index of each interaction.</summary>
    public int[] UserIndices { get; }

    /// <summary>Item index of each interaction.</summary>
    public int[] ItemIndices { get; }

    /// <summary>Timestamp of each interaction (any monotone unit), or null when the source has none.</summary>
    public long[]? Timestamps { get; }

    /// <summary>Optional text describing each item (title, categories, tags...); position = item index.</summary>
    public IReadOnlyList<string?>? ItemText { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => UserIds.Count;

    /// <summary>Number of items.</summary>
    public int ItemCount => ItemIds.Count;

    /// <summary>Number of interactions.</summary>
    public int InteractionCount => UserIndices.Length;

    /// <summary>
    /// Each user's item indices in the dataset's event order (stable: ties keep their load order).
    /// Call <c>OrderByTime</c> first when the events are not already chronological.
    /// </summary>
    public int[][] SequencesByUser()
    {
        var counts = new int[UserCount];
        foreach (int u in UserIndices)
        {
            counts[u]++;
        }

        var sequences = new int[UserCount][];
        for (int u = 0; u < UserCount; u++)
        {
            sequences[u] = new int[counts[u]];
        }

        var filled = new int[UserCount];
        for (int i = 0; i < UserIndices.Length; i++)
        {
            int u = UserIndices[i];
            sequences[u][filled[u]++] = ItemIndices[i];
        }

        return sequences;
    }

    /// <inheritdoc />
    public override string ToString() => $"{UserCount:N0} users, {ItemCount:N0} items, {InteractionCount:N0} interactions";
}
