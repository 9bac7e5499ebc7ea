using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// Turns a compute step's raw item key values (a vector of UInt32, 1-based) into a vector of the item column's key
/// type, carrying that column's <c>KeyValues</c>, so <c>MapKeyToValue</c> on a recommendation column returns the
/// original item IDs. Only public transforms are used, so the conversion survives <c>Model.Save</c>/<c>Load</c>:
/// <c>MapValue</c> (raw key → original value, the table stored in the zip) then <c>MapValueToKey</c> with the
/// original values in key order as its key data, which reproduces exactly the item column's key numbering.
/// </summary>
internal static class ItemKeyOutput
{
    // The annotation kind ML.NET uses for the values of a key type (AnnotationUtils.Kinds.KeyValues is internal).
    private const string KeyValuesKind = "KeyValues";
    private const string ValuesColumn = "__GenRecItemValues";

    /// <summary>
    /// The transforms that read <paramref name="rawColumn"/> and write <paramref name="outputColumn"/> as a vector of
    /// <paramref name="itemKeyColumn"/>'s key type. A key column without key values gets its own key numbers as
    /// values (1..Count as UInt32), so the output is still a key vector of the same count.
    /// </summary>
    public static IEstimator<ITransformer> Create(MLContext ml, DataViewSchema.Column itemKeyColumn, string rawColumn, string outputColumn)
    {
        DataViewType itemType = itemKeyColumn.Type is VectorDataViewType vector ? vector.ItemType : itemKeyColumn.Type;
        if (itemType is not KeyDataViewType key)
        {
            throw new ArgumentOutOfRangeException(nameof(itemKeyColumn), $"Column '{itemKeyColumn.Name}' must be a key column (or a vector of keys).");
        }

        DataViewSchema.Column? values = itemKeyColumn.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        Type valueType = values?.Type is VectorDataViewType { ItemType: PrimitiveDataViewType item } ? item.RawType : typeof(uint);
        if (valueType == typeof(ReadOnlyMemory<char>))
        {
            valueType = typeof(string);
        }

        MethodInfo build = typeof(ItemKeyOutput).GetMethod(nameof(CreateTyped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(valueType);
        try
        {
            return (IEstimator<ITransformer>)build.Invoke(null, new object?[] { ml, itemKeyColumn, values is null ? null : itemKeyColumn.Annotations, checked((int)key.Count), rawColumn, outputColumn })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>A one-item key column with text key values: stands in for an item column when only a shape is known.</summary>
    public static DataViewSchema.Column Placeholder()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getValues = (ref VBuffer<ReadOnlyMemory<char>> values) => values = new VBuffer<ReadOnlyMemory<char>>(1, new[] { "item".AsMemory() });
        annotations.Add(KeyValuesKind, new VectorDataViewType(TextDataViewType.Instance, 1), getValues);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Item", new KeyDataViewType(typeof(uint), 1), annotations.ToAnnotations());
        return builder.ToSchema()[0];
    }

    private static IEstimator<ITransformer> CreateTyped<T>(MLContext ml, DataViewSchema.Column itemKeyColumn, DataViewSchema.Annotations? annotations, int count, string rawColumn, string outputColumn)
    {
        T[] ordered = ReadKeyValues<T>(itemKeyColumn, annotations, count);
        var table = new List<KeyValueRow<T>>(count);
        for (int i = 0; i < count; i++)
        {
            table.Add(new KeyValueRow<T> { Key = (uint)(i + 1), Value = ordered[i] });
        }

        IDataView lookup = ml.Data.LoadFromEnumerable(table);
        IDataView keyData = ml.Data.LoadFromEnumerable(table.Select(row => new ValueRow<T> { Value = row.Value }));
        return ml.Transforms.Conversion.MapValue(ValuesColumn, lookup, lookup.Schema[nameof(KeyValueRow<T>.Key)], lookup.Schema[nameof(KeyValueRow<T>.Value)], rawColumn)
            .Append(ml.Transforms.Conversion.MapValueToKey(outputColumn, ValuesColumn, keyData: keyData))
            .Append(ml.Transforms.DropColumns(ValuesColumn));
    }

    private static T[] ReadKeyValues<T>(DataViewSchema.Column column, DataViewSchema.Annotations? annotations, int count)
    {
        var result = new T[count];
        if (annotations is null)
        {
            for (int i = 0; i < count; i++)
            {
                result[i] = (T)(object)(uint)(i + 1);
            }

            return result;
        }

        if (typeof(T) == typeof(string))
        {
            VBuffer<ReadOnlyMemory<char>> text = default;
            annotations.GetValue(KeyValuesKind, ref text);
            CheckLength(column, text.Length, count);
            int i = 0;
            foreach (ReadOnlyMemory<char> value in text.DenseValues())
            {
                result[i++] = (T)(object)value.ToString();
            }
        }
        else
        {
            VBuffer<T> buffer = default;
            annotations.GetValue(KeyValuesKind, ref buffer);
            CheckLength(column, buffer.Length, count);
            buffer.DenseValues().ToArray().CopyTo(result, 0);
        }

        if (result.Distinct().Count() != count)
        {
            throw new InvalidOperationException($"Column '{column.Name}' has repeated key values; its key mapping cannot name the recommended items.");
        }

        return result;
    }

    private static void CheckLength(DataViewSchema.Column column, int length, int count)
    {
        if (length != count)
        {
            throw new InvalidOperationException($"Column '{column.Name}' has {count} keys but {length} key values.");
        }
    }

    /// <summary>A lookup row: raw key value → original value (public so ML.NET can read it).</summary>
    public sealed class KeyValueRow<T>
    {
        /// <summary>The raw key value (1-based).</summary>
        public uint Key { get; set; }

        /// <summary>The original value.</summary>
        public T Value { get; set; } = default!;
    }

    /// <summary>A key-data row: the original values in key order.</summary>
    public sealed class ValueRow<T>
    {
        /// <summary>The original value.</summary>
        public T Value { get; set; } = default!;
    }
}
