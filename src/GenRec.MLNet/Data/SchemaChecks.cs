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
}
