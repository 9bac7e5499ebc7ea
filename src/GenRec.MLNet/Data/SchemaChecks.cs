using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Data;

/// <summary>Input-column checks shared by the estimators, so every one reports a wrong column the same way.</summary>
internal static class SchemaChecks
{
    /// <summary>
    /// Requires <paramref name="name"/> to be a scalar UInt32 key column and returns its key count. When
    /// <paramref name="expectedCount"/> is given, a different count is an error: keys from another mapping would
    /// silently mean other users or items. <paramref name="trainedWith"/> completes "... keys but {trainedWith} N".
    /// </summary>
    public static ulong RequireKeyColumn(DataViewSchema schema, string name, ulong? expectedCount = null, string trainedWith = "the model was trained with")
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found.");
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' must be a UInt32 key column (use MapValueToKey), but is {column.Type}.");
        }

        if (expectedCount is { } count && key.Count != count)
        {
            throw new InvalidOperationException(
                $"Column '{name}' has {key.Count} keys but {trainedWith} {count}; transform with the same key mapping used for training.");
        }

        return key.Count;
    }

    /// <summary>
    /// Requires two columns (keys or vectors of keys) to use the same key mapping: the same key count and, when both
    /// carry key values, the same values in the same order. Counts alone would accept two mappings that number the
    /// same items differently, which gives wrong recommendations with no error.
    /// </summary>
    public static void RequireSameKeys(DataViewSchema schema, string first, string second) =>
        RequireSameKeys(schema[first], schema[second]);

    /// <summary>As <see cref="RequireSameKeys(DataViewSchema, string, string)"/>, for columns of two schemas (e.g. training and prediction).</summary>
    public static void RequireSameKeys(DataViewSchema.Column first, DataViewSchema.Column second)
    {
        KeyDataViewType a = KeyTypeOf(first);
        KeyDataViewType b = KeyTypeOf(second);
        if (a.Count != b.Count)
        {
            throw new InvalidOperationException(
                $"Columns '{first.Name}' ({a.Count} keys) and '{second.Name}' ({b.Count} keys) come from different key mappings; build both with the same MapValueToKey.");
        }

        string[]? valuesA = KeyValueStrings(first);
        string[]? valuesB = KeyValueStrings(second);
        if (valuesA is null || valuesB is null)
        {
            return;
        }

        for (int i = 0; i < valuesA.Length; i++)
        {
            if (valuesA[i] != valuesB[i])
            {
                throw new InvalidOperationException(
                    $"Columns '{first.Name}' and '{second.Name}' come from different key mappings: key {i + 1} is '{valuesA[i]}' in '{first.Name}' but '{valuesB[i]}' in '{second.Name}'; build both with the same MapValueToKey.");
            }
        }
    }

    private static KeyDataViewType KeyTypeOf(DataViewSchema.Column column) =>
        (column.Type is VectorDataViewType vector ? vector.ItemType : column.Type) as KeyDataViewType
        ?? throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' must be a key column (or a vector of keys), but is {column.Type}.");

    /// <summary>The column's key values as text, or null when it has none.</summary>
    private static string[]? KeyValueStrings(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: var itemType } } values)
        {
            return null;
        }

        if (itemType is TextDataViewType)
        {
            VBuffer<ReadOnlyMemory<char>> text = default;
            column.Annotations.GetValue(values.Name, ref text);
            return text.DenseValues().Select(v => v.ToString()).ToArray();
        }

        if (itemType == NumberDataViewType.UInt32)
        {
            VBuffer<uint> numbers = default;
            column.Annotations.GetValue(values.Name, ref numbers);
            return numbers.DenseValues().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        // Other value types are rare for item IDs; the key counts were compared already.
        return null;
    }
}
