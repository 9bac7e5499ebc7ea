using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Data;

/// <summary>
/// Column lookup and typed reading shared by the <see cref="IDataView"/> splits and the evaluator, so a missing or
/// wrongly typed column is reported the same way everywhere: an <see cref="ArgumentException"/> naming the column,
/// its role and the parameter that named it.
/// </summary>
internal static class DataViewColumnReaders
{
    /// <summary>The annotation kind ML.NET uses for the values of a key type (AnnotationUtils.Kinds.KeyValues is internal).</summary>
    public const string KeyValuesKind = "KeyValues";

    private static readonly MethodInfo BoxingGetterMethod =
        typeof(DataViewColumnReaders).GetMethod(nameof(BoxingGetter), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo AnnotationStringsMethod =
        typeof(DataViewColumnReaders).GetMethod(nameof(AnnotationStrings), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The column called <paramref name="name"/>, or an error naming it, its role and the visible columns.</summary>
    /// <param name="schema">Schema to look in.</param>
    /// <param name="name">Column name.</param>
    /// <param name="role">What the column is for, e.g. "user".</param>
    /// <param name="parameterName">The parameter that gave the name, reported as the exception's ParamName.</param>
    public static DataViewSchema.Column Require(DataViewSchema schema, string? name, string role, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"The {role} column name must not be null or empty.", parameterName);
        }

        return schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"The data has no {role} column '{name}' (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).",
                parameterName);
    }

    /// <summary>
    /// Requires a column that rows can be grouped by: any scalar (a key of any storage type, text, a number,
    /// a Boolean, a date). Vectors are rejected because two rows' vectors cannot serve as one user's identity.
    /// </summary>
    public static void RequireScalar(DataViewSchema.Column column, string role, string parameterName)
    {
        if (column.Type is VectorDataViewType)
        {
            throw new ArgumentException(
                $"The {role} column '{column.Name}' must be a scalar column (a key from MapValueToKey, text or a number), but is {column.Type}.",
                parameterName);
        }
    }

    /// <summary>
    /// A getter for the value rows are grouped by: the key value (as <see cref="ulong"/>) of a key column, the text
    /// of a text column, otherwise the boxed value, which groups by the type's own equality. Returns null for a
    /// missing key (0), which no grouping can place.
    /// </summary>
    public static Func<object?> GroupingGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is KeyDataViewType)
        {
            var key = KeyGetter(cursor, column);
            return () => key() is var value && value != 0 ? value : null;
        }

        if (column.Type is TextDataViewType)
        {
            var text = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            return () =>
            {
                ReadOnlyMemory<char> value = default;
                text(ref value);
                return value.ToString();
            };
        }

        return (Func<object?>)BoxingGetterMethod.MakeGenericMethod(column.Type.RawType).Invoke(null, [cursor, column])!;
    }

    /// <summary>
    /// A getter for the key value (0 = missing) of a key column of any unsigned storage type, or of a plain
    /// UInt32 column read as key values.
    /// </summary>
    public static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (Type.GetTypeCode(column.Type.RawType))
        {
            case TypeCode.UInt32:
                var g32 = cursor.GetGetter<uint>(column);
                return () => { uint v = 0; g32(ref v); return v; };
            case TypeCode.UInt64:
                var g64 = cursor.GetGetter<ulong>(column);
                return () => { ulong v = 0; g64(ref v); return v; };
            case TypeCode.UInt16:
                var g16 = cursor.GetGetter<ushort>(column);
                return () => { ushort v = 0; g16(ref v); return v; };
            case TypeCode.Byte:
                var g8 = cursor.GetGetter<byte>(column);
                return () => { byte v = 0; g8(ref v); return v; };
            default:
                throw new ArgumentException($"Column '{column.Name}' has unsupported key storage type {column.Type.RawType}.", nameof(column));
        }
    }

    /// <summary>
    /// The key values of a key column (scalar or vector) as text, from its <c>KeyValues</c> annotation, or null when
    /// it has none. Values of any type are compared through their text form.
    /// </summary>
    public static string[]? KeyValueStrings(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is not { Type: VectorDataViewType vector })
        {
            return null;
        }

        return (string[])AnnotationStringsMethod.MakeGenericMethod(vector.ItemType.RawType).Invoke(null, [column])!;
    }

    private static Func<object?> BoxingGetter<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value;
        };
    }

    private static string[] AnnotationStrings<T>(DataViewSchema.Column column)
    {
        var values = default(VBuffer<T>);
        column.Annotations.GetValue(KeyValuesKind, ref values);
        return [.. values.DenseValues().Select(value => value?.ToString() ?? string.Empty)];
    }
}
