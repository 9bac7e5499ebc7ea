using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Data;

/// <summary>
/// Converts between <see cref="InteractionDataset"/> and ML.NET <see cref="IDataView"/>s, so the data layer plugs
/// into ML.NET pipelines and estimators can accept an <see cref="IDataView"/> in <c>Fit</c>.
/// </summary>
/// <remarks>
/// User and item columns are ML.NET key columns: key = index + 1 (key 0 means "missing"), key count = number of
/// users / items, and the standard <c>KeyValues</c> annotation holds the original IDs in index order, so
/// <c>MapKeyToValue</c> gives back the original IDs and other ML.NET components (e.g. matrix factorization) see
/// the same index space. The key type is declared directly through a <see cref="SchemaDefinition"/> rather than
/// learnt with <c>MapValueToKey</c>: that guarantees key order = index order without hashing every ID.
/// </remarks>
public static class InteractionDataViews
{
    /// <summary>Name of the user key column.</summary>
    public const string UserIdColumn = "UserId";

    /// <summary>Name of the item key column.</summary>
    public const string ItemIdColumn = "ItemId";

    /// <summary>Name of the timestamp column (Double).</summary>
    public const string TimestampColumn = "Timestamp";

    /// <summary>Name of the item text column.</summary>
    public const string TextColumn = "Text";

    // The annotation kind ML.NET uses for the values of a key type (AnnotationUtils.Kinds.KeyValues is internal).
    private const string KeyValuesKind = "KeyValues";

    /// <summary>
    /// One row per interaction, in dataset order: <c>UserId</c> (key, count = UserCount), <c>ItemId</c>
    /// (key, count = ItemCount) and, when the dataset has timestamps, <c>Timestamp</c> (Double, exact for
    /// integer timestamps up to 2^53).
    /// </summary>
    /// <param name="dataset">The dataset; the view reads its arrays lazily, so do not modify them afterwards.</param>
    /// <param name="ml">The ML.NET context.</param>
    public static IDataView ToDataView(this InteractionDataset dataset, MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(ml);
        RequireNonEmpty(dataset);

        var schema = SchemaDefinition.Create(typeof(InteractionRow));
        DeclareKey(schema[nameof(InteractionRow.UserId)], dataset.UserIds);
        DeclareKey(schema[nameof(InteractionRow.ItemId)], dataset.ItemIds);
        var times = dataset.Timestamps;
        if (times == null)
        {
            schema.Remove(schema[nameof(InteractionRow.Timestamp)]);
        }

        // LoadFromEnumerable reads a key-typed member as a 0-based value and exposes it as value + 1 (see
        // DataViewConstructionUtils.CreateKeyGetterDelegate), so the rows hold the 0-based index itself.
        // An array (rather than a lazy sequence) lets the view report its row count.
        var rows = new InteractionRow[dataset.InteractionCount];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new InteractionRow
            {
                UserId = (uint)dataset.UserIndices[i],
                ItemId = (uint)dataset.ItemIndices[i],
                Timestamp = times != null ? times[i] : 0,
            };
        }

        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>
    /// One row per item, in index order: <c>ItemId</c> (key, as in <see cref="ToDataView"/>) and <c>Text</c>
    /// (the item text, empty when the dataset has none for that item).
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="ml">The ML.NET context.</param>
    public static IDataView ItemTextDataView(this InteractionDataset dataset, MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(ml);
        if (dataset.ItemCount == 0)
        {
            throw new ArgumentException("The dataset has no items; an ML.NET key column needs at least one value.", nameof(dataset));
        }

        var schema = SchemaDefinition.Create(typeof(ItemTextRow));
        DeclareKey(schema[nameof(ItemTextRow.ItemId)], dataset.ItemIds);
        var text = dataset.ItemText;
        // As in ToDataView: the key member holds the 0-based index; the view exposes index + 1.
        var rows = Enumerable.Range(0, dataset.ItemCount).Select(i => new ItemTextRow
        {
            ItemId = (uint)i,
            Text = text?[i] ?? string.Empty,
        }).ToArray();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>
    /// Reads interactions back from a view with a user key column, an item key column and optionally a numeric
    /// timestamp column — what an estimator's <c>Fit</c> receives.
    /// </summary>
    /// <remarks>
    /// Index = key − 1 and the index spaces are the key types' full counts (users or items without rows are kept).
    /// IDs come from the columns' <c>KeyValues</c> annotations when present, otherwise they are the indices as text.
    /// </remarks>
    /// <param name="data">The view to read.</param>
    /// <param name="userColumn">Name of the user key column.</param>
    /// <param name="itemColumn">Name of the item key column.</param>
    /// <param name="timestampColumn">Name of the timestamp column (Double, Single, Int64 or Int32); when the view has no column of that name, or the name is null, the result has no timestamps.</param>
    /// <param name="itemText">Optional item text to attach (one entry per item key).</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or a row has a missing (0) key; the message names the column.</exception>
    public static InteractionDataset ToInteractionDataset(
        IDataView data,
        string userColumn = UserIdColumn,
        string itemColumn = ItemIdColumn,
        string? timestampColumn = TimestampColumn,
        IReadOnlyList<string?>? itemText = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var user = RequireKeyColumn(data.Schema, userColumn);
        var item = RequireKeyColumn(data.Schema, itemColumn);
        var time = timestampColumn != null ? data.Schema.GetColumnOrNull(timestampColumn) : null;
        if (time is { } t && t.Type != NumberDataViewType.Double && t.Type != NumberDataViewType.Single
            && t.Type != NumberDataViewType.Int64 && t.Type != NumberDataViewType.Int32)
        {
            throw new ArgumentException($"Column '{t.Name}' must be Double, Single, Int64 or Int32 to be read as timestamps, but is {t.Type}.", nameof(data));
        }

        var columns = time is { } tc ? new[] { user, item, tc } : new[] { user, item };
        var users = new List<int>();
        var items = new List<int>();
        var times = time != null ? new List<long>() : null;
        using (var cursor = data.GetRowCursor(columns))
        {
            var getUser = KeyGetter(cursor, user);
            var getItem = KeyGetter(cursor, item);
            var getTime = time is { } c ? TimeGetter(cursor, c) : null;
            long row = 0;
            while (cursor.MoveNext())
            {
                users.Add(Index(getUser(), user, row));
                items.Add(Index(getItem(), item, row));
                if (getTime != null)
                {
                    double value = getTime();
                    if (!double.IsFinite(value))
                    {
                        throw new ArgumentException($"Row {row} has a non-finite value in column '{time!.Value.Name}'.", nameof(data));
                    }

                    times!.Add((long)Math.Round(value));
                }

                row++;
            }
        }

        return new InteractionDataset(KeyNames(user), KeyNames(item), users.ToArray(), items.ToArray(), times?.ToArray(), itemText);
    }

    private static void RequireNonEmpty(InteractionDataset dataset)
    {
        // A key type needs a count of at least 1; an empty index space is almost certainly an upstream filtering mistake.
        if (dataset.UserCount == 0 || dataset.ItemCount == 0)
        {
            throw new ArgumentException($"The dataset has {dataset.UserCount} users and {dataset.ItemCount} items; an ML.NET key column needs at least one value.", nameof(dataset));
        }
    }

    private static void DeclareKey(SchemaDefinition.Column column, IReadOnlyList<string> ids)
    {
        int count = ids.Count;
        column.ColumnType = new KeyDataViewType(typeof(uint), count);
        var values = new ReadOnlyMemory<char>[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = ids[i].AsMemory();
        }

        column.AddAnnotation(KeyValuesKind, new VBuffer<ReadOnlyMemory<char>>(count, values), new VectorDataViewType(TextDataViewType.Instance, count));
    }

    private static DataViewSchema.Column RequireKeyColumn(DataViewSchema schema, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The data has no column '{name}' (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).", "data");
        if (column.Type is not KeyDataViewType key)
        {
            throw new ArgumentException($"Column '{name}' must be a key column (e.g. made by MapValueToKey) but is {column.Type}.", "data");
        }

        if (key.Count > int.MaxValue)
        {
            throw new ArgumentException($"Column '{name}' has a key count of {key.Count}, more than an index can hold.", "data");
        }

        return column;
    }

    // Keys can be stored in any unsigned integer type; MapValueToKey uses UInt32.
    private static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column) =>
        DataViewColumnReaders.KeyGetter(cursor, column);

    private static Func<double> TimeGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Double)
        {
            var g = cursor.GetGetter<double>(column);
            return () => { double v = 0; g(ref v); return v; };
        }

        if (column.Type == NumberDataViewType.Single)
        {
            var g = cursor.GetGetter<float>(column);
            return () => { float v = 0; g(ref v); return v; };
        }

        if (column.Type == NumberDataViewType.Int64)
        {
            var g = cursor.GetGetter<long>(column);
            return () => { long v = 0; g(ref v); return v; };
        }

        var g32 = cursor.GetGetter<int>(column);
        return () => { int v = 0; g32(ref v); return v; };
    }

    private static int Index(ulong key, DataViewSchema.Column column, long row)
    {
        if (key == 0)
        {
            throw new ArgumentException($"Row {row} has a missing key (0) in column '{column.Name}'; every interaction needs a known user and item.", "data");
        }

        return (int)(key - 1);
    }

    /// <summary>The IDs of a key column: its KeyValues annotation when it has one of the right size, else "0", "1", ...</summary>
    private static string[] KeyNames(DataViewSchema.Column column)
    {
        int count = (int)((KeyDataViewType)column.Type).Count;
        var names = new string[count];
        var annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is { Type: VectorDataViewType { Size: var size } vector } && size == count && vector.ItemType is TextDataViewType)
        {
            var values = default(VBuffer<ReadOnlyMemory<char>>);
            column.Annotations.GetValue(KeyValuesKind, ref values);
            var dense = values.DenseValues().ToArray();
            for (int i = 0; i < count; i++)
            {
                names[i] = dense[i].ToString();
            }

            return names;
        }

        for (int i = 0; i < count; i++)
        {
            names[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    /// <summary>
    /// Row type for <see cref="ToDataView"/>; the schema definition turns the uint members (0-based indices) into
    /// key columns.
    /// </summary>
    private sealed class InteractionRow
    {
        public uint UserId { get; set; }

        public uint ItemId { get; set; }

        public double Timestamp { get; set; }
    }

    /// <summary>Row type for <see cref="ItemTextDataView"/>.</summary>
    private sealed class ItemTextRow
    {
        public uint ItemId { get; set; }

        public string Text { get; set; } = string.Empty;
    }
}
