using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Data;

/// <summary>
/// One pass over an interaction <see cref="IDataView"/> that finds each row's user and, per user, the order of the
/// user's rows: by timestamp when a timestamp column is given, ties (and everything, without timestamps) by row order.
/// </summary>
/// <remarks>
/// Users are grouped by value (<see cref="DataViewColumnReaders.GroupingGetter"/>): key columns by key value,
/// text by its content, other scalars by their own equality; users are numbered in order of first appearance.
/// Integer and date timestamps are compared exactly (as 64-bit integers or ticks), floating-point ones as doubles.
/// </remarks>
internal sealed class InteractionRowOrder
{
    private InteractionRowOrder(int[][] rowsByUser, int rowCount)
    {
        RowsByUser = rowsByUser;
        RowCount = rowCount;
    }

    /// <summary>Per user (in order of first appearance), the user's row indices in sequence order.</summary>
    public int[][] RowsByUser { get; }

    /// <summary>Number of rows read.</summary>
    public int RowCount { get; }

    /// <summary>Reads and orders the rows of <paramref name="data"/>.</summary>
    /// <param name="data">Interactions, one per row.</param>
    /// <param name="userColumnName">User column (any scalar type; a key column must have no missing keys).</param>
    /// <param name="itemColumnName">Item column; only checked to exist and be scalar, since ordering does not need it.</param>
    /// <param name="timestampColumnName">Optional timestamp column (Double, Single, Int64, Int32, UInt32 or DateTime).</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, a user key is missing, or a timestamp is NaN; the message names the column.</exception>
    public static InteractionRowOrder Read(IDataView data, string userColumnName, string itemColumnName, string? timestampColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var user = DataViewColumnReaders.Require(data.Schema, userColumnName, "user", nameof(userColumnName));
        DataViewColumnReaders.RequireScalar(user, "user", nameof(userColumnName));
        var item = DataViewColumnReaders.Require(data.Schema, itemColumnName, "item", nameof(itemColumnName));
        DataViewColumnReaders.RequireScalar(item, "item", nameof(itemColumnName));
        DataViewSchema.Column? time = null;
        if (timestampColumnName != null)
        {
            time = DataViewColumnReaders.Require(data.Schema, timestampColumnName, "timestamp", nameof(timestampColumnName));
            if (!IsIntegralTime(time.Value.Type) && !IsFloatingTime(time.Value.Type))
            {
                throw new ArgumentException(
                    $"The timestamp column '{time.Value.Name}' must be Double, Single, Int64, Int32, UInt32 or DateTime, but is {time.Value.Type}.",
                    nameof(timestampColumnName));
            }
        }

        var userOfRow = new List<int>();
        var integralTimes = time is { } it && IsIntegralTime(it.Type) ? new List<long>() : null;
        var floatingTimes = time is { } ft && IsFloatingTime(ft.Type) ? new List<double>() : null;
        var users = new Dictionary<object, int>();
        using (var cursor = data.GetRowCursor(time is { } tc ? [user, tc] : [user]))
        {
            var getUser = DataViewColumnReaders.GroupingGetter(cursor, user);
            var getIntegral = integralTimes != null ? IntegralTimeGetter(cursor, time!.Value) : null;
            var getFloating = floatingTimes != null ? FloatingTimeGetter(cursor, time!.Value) : null;
            while (cursor.MoveNext())
            {
                int row = userOfRow.Count;
                object value = getUser()
                    ?? throw new ArgumentException(
                        $"Row {row} has a missing key (0) in the user column '{user.Name}'; every interaction needs a known user.",
                        nameof(userColumnName));
                if (!users.TryGetValue(value, out int u))
                {
                    u = users.Count;
                    users.Add(value, u);
                }

                userOfRow.Add(u);
                integralTimes?.Add(getIntegral!());
                if (getFloating != null)
                {
                    double t = getFloating();
                    if (double.IsNaN(t))
                    {
                        throw new ArgumentException($"Row {row} has a NaN timestamp in column '{time!.Value.Name}'.", nameof(timestampColumnName));
                    }

                    floatingTimes!.Add(t);
                }
            }
        }

        var rowsByUser = GroupRows(userOfRow, users.Count);
        if (integralTimes != null)
        {
            SortByTime(rowsByUser, integralTimes);
        }
        else if (floatingTimes != null)
        {
            SortByTime(rowsByUser, floatingTimes);
        }

        return new InteractionRowOrder(rowsByUser, userOfRow.Count);
    }

    private static bool IsIntegralTime(DataViewType type) =>
        type == NumberDataViewType.Int64 || type == NumberDataViewType.Int32 || type == NumberDataViewType.UInt32 || type is DateTimeDataViewType;

    private static bool IsFloatingTime(DataViewType type) => type == NumberDataViewType.Double || type == NumberDataViewType.Single;

    private static Func<long> IntegralTimeGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Int64)
        {
            var g = cursor.GetGetter<long>(column);
            return () => { long v = 0; g(ref v); return v; };
        }

        if (column.Type == NumberDataViewType.Int32)
        {
            var g = cursor.GetGetter<int>(column);
            return () => { int v = 0; g(ref v); return v; };
        }

        if (column.Type == NumberDataViewType.UInt32)
        {
            var g = cursor.GetGetter<uint>(column);
            return () => { uint v = 0; g(ref v); return v; };
        }

        var gd = cursor.GetGetter<DateTime>(column);
        return () => { DateTime v = default; gd(ref v); return v.Ticks; };
    }

    private static Func<double> FloatingTimeGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Double)
        {
            var g = cursor.GetGetter<double>(column);
            return () => { double v = 0; g(ref v); return v; };
        }

        var gf = cursor.GetGetter<float>(column);
        return () => { float v = 0; gf(ref v); return v; };
    }

    /// <summary>Per user, the user's rows in row order.</summary>
    private static int[][] GroupRows(List<int> userOfRow, int userCount)
    {
        var counts = new int[userCount];
        foreach (int u in userOfRow)
        {
            counts[u]++;
        }

        var rows = new int[userCount][];
        for (int u = 0; u < userCount; u++)
        {
            rows[u] = new int[counts[u]];
        }

        var filled = new int[userCount];
        for (int row = 0; row < userOfRow.Count; row++)
        {
            int u = userOfRow[row];
            rows[u][filled[u]++] = row;
        }

        return rows;
    }

    /// <summary>Sorts each user's rows by time; the row index breaks ties, so the sort is stable.</summary>
    private static void SortByTime<T>(int[][] rowsByUser, List<T> times)
        where T : IComparable<T>
    {
        Comparison<int> compare = (a, b) =>
        {
            int c = times[a].CompareTo(times[b]);
            return c != 0 ? c : a.CompareTo(b);
        };
        foreach (var rows in rowsByUser)
        {
            Array.Sort(rows, compare);
        }
    }
}
