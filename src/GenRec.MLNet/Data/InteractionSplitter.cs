using Microsoft.ML;

namespace GenRec.MLNet.Data;

/// <summary>
/// Per-user splits of an interaction <see cref="IDataView"/> into train / validation / test views with the input's
/// schema; reached through <see cref="GenRecCatalog.LeaveOneOutSplit"/> and <see cref="GenRecCatalog.TrainTestSplit"/>.
/// </summary>
/// <remarks>
/// Each user's rows are put in sequence order first (<see cref="InteractionRowOrder"/>: by timestamp, ties and
/// everything without a timestamp by row order); held-out rows are taken from the end of that sequence.
/// </remarks>
internal static class InteractionSplitter
{
    private const byte TrainPart = 0;
    private const byte ValidationPart = 1;
    private const byte TestPart = 2;

    /// <summary>
    /// Leave-one-out: per user, the last interaction is the test row and, with <paramref name="withValidation"/>, the
    /// second-to-last the validation row. A user is split only when at least one training row remains (3 rows with
    /// validation, 2 without); shorter users keep every row in training. With validation this is exactly
    /// <see cref="SequenceSplitter.LeaveOneOut"/> on the same interactions ordered by <c>OrderByTime</c>.
    /// </summary>
    public static InteractionSplit LeaveOneOut(IDataView data, string userColumnName, string itemColumnName, string? timestampColumnName, bool withValidation)
    {
        var order = InteractionRowOrder.Read(data, userColumnName, itemColumnName, timestampColumnName);
        int heldOut = withValidation ? 2 : 1;
        return Assign(data, order, withValidation, n => n > heldOut ? (1, withValidation ? 1 : 0) : (0, 0), shuffleSeed: null);
    }

    /// <summary>
    /// Ratio split: per user, ⌊n·<paramref name="testFraction"/>⌋ rows (at least 1) go to test and
    /// ⌊n·<paramref name="validationFraction"/>⌋ rows (at least 1 when the fraction is positive) to validation, taken
    /// from the end of the user's sequence, or, when <paramref name="shuffleSeed"/> is given, from a random per-user
    /// permutation of it. A user is split only when at least one training row remains.
    /// </summary>
    public static InteractionSplit ByRatio(
        IDataView data,
        double testFraction,
        double validationFraction,
        string userColumnName,
        string itemColumnName,
        string? timestampColumnName,
        int? shuffleSeed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in (0, 1).");
        }

        if (!(validationFraction >= 0 && validationFraction < 1) || testFraction + validationFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction, "validationFraction must be in [0, 1) and testFraction + validationFraction below 1.");
        }

        var order = InteractionRowOrder.Read(data, userColumnName, itemColumnName, timestampColumnName);
        return Assign(
            data,
            order,
            validationFraction > 0,
            n =>
            {
                int test = HeldOutCount(n, testFraction);
                int validation = HeldOutCount(n, validationFraction);
                return n - test - validation >= 1 ? (test, validation) : (0, 0);
            },
            shuffleSeed);
    }

    /// <summary>⌊n·fraction⌋, but at least 1 for a positive fraction; the epsilon keeps e.g. 100·0.29 from flooring to 28.</summary>
    private static int HeldOutCount(int n, double fraction) =>
        fraction <= 0 ? 0 : Math.Max(1, (int)Math.Floor((n * fraction) + 1e-9));

    /// <summary>
    /// Marks each user's last test-count rows as test and the validation-count rows before them as validation, in
    /// sequence order or, with a seed, in a per-user shuffled order, and wraps the marks as three views.
    /// </summary>
    private static InteractionSplit Assign(
        IDataView data,
        InteractionRowOrder order,
        bool withValidation,
        Func<int, (int Test, int Validation)> heldOutCounts,
        int? shuffleSeed)
    {
        var parts = new byte[order.RowCount];
        int splitUsers = 0;
        for (int u = 0; u < order.RowsByUser.Length; u++)
        {
            int[] rows = order.RowsByUser[u];
            var (test, validation) = heldOutCounts(rows.Length);
            if (test == 0)
            {
                continue;
            }

            if (shuffleSeed is { } seed)
            {
                rows = (int[])rows.Clone();
                SetSplitter.Shuffle(rows, seed, u);
            }

            splitUsers++;
            int n = rows.Length;
            for (int p = n - test; p < n; p++)
            {
                parts[rows[p]] = TestPart;
            }

            for (int p = n - test - validation; p < n - test; p++)
            {
                parts[rows[p]] = ValidationPart;
            }
        }

        // Without validation the validation view is still a view of the input, just one that matches no row.
        return new InteractionSplit(
            new RowSubsetDataView(data, parts, TrainPart),
            new RowSubsetDataView(data, parts, withValidation ? ValidationPart : byte.MaxValue),
            new RowSubsetDataView(data, parts, TestPart),
            order.RowsByUser.Length,
            splitUsers);
    }
}
