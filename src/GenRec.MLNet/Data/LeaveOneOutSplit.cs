namespace GenRec.MLNet.Data;

/// <summary>
/// The sequential leave-one-out split (TIGER / LETTER / SASRec protocol) made by <see cref="SequenceSplitter.LeaveOneOut"/>:
/// per user, the last item is the test target, the one before it the validation target, and everything earlier is
/// training data.
/// </summary>
/// <remarks>
/// Users with fewer than 3 interactions cannot give both targets and still have a history, so they get no
/// validation or test case; all their items stay in <see cref="TrainSequences"/> so that they still inform training.
/// </remarks>
public sealed class LeaveOneOutSplit
{
    // Per user, the indices (into Source) of the user's events in sequence order; lets the train part be
    // rebuilt as a dataset with its timestamps.
    private readonly int[][] _eventsByUser;

    internal LeaveOneOutSplit(
        InteractionDataset source,
        int maxHistory,
        int[][] eventsByUser,
        int[][] trainSequences,
        SequenceCase[] validationCases,
        SequenceCase[] testCases)
    {
        Source = source;
        MaxHistory = maxHistory;
        _eventsByUser = eventsByUser;
        TrainSequences = trainSequences;
        ValidationCases = validationCases;
        TestCases = testCases;
    }

    /// <summary>The dataset that was split (its event order defined the sequences).</summary>
    public InteractionDataset Source { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => Source.UserCount;

    /// <summary>Number of items that recommendations rank over.</summary>
    public int ItemCount => Source.ItemCount;

    /// <summary>The history cap used for <see cref="SequenceCase.History"/>; 0 or less means unlimited.</summary>
    public int MaxHistory { get; }

    /// <summary>
    /// Per user, the training sequence: all items but the last two, or all items for users with fewer than 3.
    /// </summary>
    public IReadOnlyList<int[]> TrainSequences { get; }

    /// <summary>
    /// One case per user with ≥ 3 items: history = training sequence (capped to the last <see cref="MaxHistory"/>),
    /// target = second-to-last item.
    /// </summary>
    public IReadOnlyList<SequenceCase> ValidationCases { get; }

    /// <summary>
    /// One case per user with ≥ 3 items: history = training sequence + validation item (capped to the last
    /// <see cref="MaxHistory"/>), target = last item.
    /// </summary>
    public IReadOnlyList<SequenceCase> TestCases { get; }

    /// <summary>Number of users that have interactions but fewer than 3, and therefore no evaluation case.</summary>
    public int ShortUserCount => _eventsByUser.Count(events => events.Length is > 0 and < 3);

    /// <summary>The training interactions as parallel (user, item) index arrays in sequence order, for trainers that take pairs.</summary>
    /// <param name="includeValidation">Also include each user's validation target (to retrain on train + validation after tuning).</param>
    public (int[] Users, int[] Items) TrainingPairs(bool includeValidation = false)
    {
        var train = TrainDataset(includeValidation);
        return (train.UserIndices, train.ItemIndices);
    }

    /// <summary>
    /// The training events as a dataset over the source's full index space, with their timestamps (when the source has
    /// them), IDs and item text, user-major in sequence order.
    /// </summary>
    /// <param name="includeValidation">Also include each user's validation event.</param>
    public InteractionDataset TrainDataset(bool includeValidation = false)
    {
        var events = new List<int>();
        for (int u = 0; u < _eventsByUser.Length; u++)
        {
            var userEvents = _eventsByUser[u];
            int trainLength = TrainSequences[u].Length;
            events.AddRange(userEvents.AsSpan(0, trainLength));
            if (includeValidation && trainLength < userEvents.Length)
            {
                events.Add(userEvents[trainLength]);
            }
        }

        return DatasetSlicing.Select(Source, events.ToArray());
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{UserCount:N0} users, {ItemCount:N0} items: {TestCases.Count:N0} test cases, {ShortUserCount:N0} users with < 3 items";
}
