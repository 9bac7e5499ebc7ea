namespace GenRec.MLNet.Data;

/// <summary>
/// A split that treats each user's history as an unordered set (the TokenRec / LightGCN protocol): per user, the
/// training items, the validation target items and the test target items, all over the index space of
/// <see cref="Source"/>.
/// </summary>
/// <remarks>
/// Produced by <see cref="SetSplitter.HoldOut"/> or by <see cref="LightGcnData.ToSetSplit"/>. Every list has one
/// entry per user (an empty array when a user has nothing in that part), so a user index can be used directly.
/// </remarks>
public sealed class SetSplit
{
    /// <summary>Creates a split; the arrays are taken as they are (not copied) and validated.</summary>
    /// <param name="source">Dataset that defines the user and item index spaces and their IDs.</param>
    /// <param name="trainSets">Per user, the training items.</param>
    /// <param name="validTargets">Per user, the held-out validation items (empty arrays when there is no validation part).</param>
    /// <param name="testTargets">Per user, the held-out test items.</param>
    public SetSplit(InteractionDataset source, IReadOnlyList<int[]> trainSets, IReadOnlyList<int[]> validTargets, IReadOnlyList<int[]> testTargets)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(source, trainSets, nameof(trainSets));
        Validate(source, validTargets, nameof(validTargets));
        Validate(source, testTargets, nameof(testTargets));
        Source = source;
        TrainSets = trainSets;
        ValidTargets = validTargets;
        TestTargets = testTargets;
    }

    /// <summary>The dataset whose users, items, IDs and item text this split refers to.</summary>
    public InteractionDataset Source { get; }

    /// <summary>Number of users (the length of every per-user list).</summary>
    public int UserCount => Source.UserCount;

    /// <summary>Number of items that recommendations rank over.</summary>
    public int ItemCount => Source.ItemCount;

    /// <summary>Per user, the training items.</summary>
    public IReadOnlyList<int[]> TrainSets { get; }

    /// <summary>Per user, the validation target items (empty when the user has none).</summary>
    public IReadOnlyList<int[]> ValidTargets { get; }

    /// <summary>Per user, the test target items (empty when the user has none).</summary>
    public IReadOnlyList<int[]> TestTargets { get; }

    /// <summary>
    /// The training interactions as parallel (user, item) index arrays, user-major, for trainers that take pairs.
    /// </summary>
    /// <param name="includeValidation">Also include the validation targets (to retrain on train + validation after tuning).</param>
    public (int[] Users, int[] Items) TrainingPairs(bool includeValidation = false)
    {
        var users = new List<int>();
        var items = new List<int>();
        for (int u = 0; u < UserCount; u++)
        {
            foreach (int item in TrainSets[u])
            {
                users.Add(u);
                items.Add(item);
            }

            if (includeValidation)
            {
                foreach (int item in ValidTargets[u])
                {
                    users.Add(u);
                    items.Add(item);
                }
            }
        }

        return (users.ToArray(), items.ToArray());
    }

    /// <summary>
    /// The training interactions as a dataset with the source's IDs and item text (no timestamps: sets have no order),
    /// e.g. to hand to an ML.NET estimator through <see cref="InteractionDataViews.ToDataView"/>.
    /// </summary>
    /// <param name="includeValidation">Also include the validation targets.</param>
    public InteractionDataset TrainDataset(bool includeValidation = false)
    {
        var (users, items) = TrainingPairs(includeValidation);
        return new InteractionDataset(Source.UserIds, Source.ItemIds, users, items, timestamps: null, Source.ItemText);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{UserCount:N0} users, {ItemCount:N0} items: {TrainSets.Sum(s => s.Length):N0} train, " +
        $"{ValidTargets.Sum(s => s.Length):N0} validation, {TestTargets.Sum(s => s.Length):N0} test interactions";

    private static void Validate(InteractionDataset source, IReadOnlyList<int[]> perUser, string name)
    {
        ArgumentNullException.ThrowIfNull(perUser, name);
        if (perUser.Count != source.UserCount)
        {
            throw new ArgumentException($"{name} has {perUser.Count} entries but there are {source.UserCount} users.", name);
        }

        for (int u = 0; u < perUser.Count; u++)
        {
            var items = perUser[u] ?? throw new ArgumentException($"{name}[{u}] is null; use an empty array.", name);
            foreach (int item in items)
            {
                if ((uint)item >= (uint)source.ItemCount)
                {
                    throw new ArgumentOutOfRangeException(name, $"User {u} has item index {item}, outside 0..{source.ItemCount - 1}.");
                }
            }
        }
    }
}
