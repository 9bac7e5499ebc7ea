using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Reads one vector per key from interaction rows, where a key (an item or a user) repeats once per event: every row
/// of a key must carry the same vector, and every key of the mapping must have a row. A stage upstream computed the
/// vector per key (the collaborative stage's embeddings, a tokenizer's codes), so a differing repeat means the rows
/// were assembled from different models, and training on either copy would silently be wrong.
/// </summary>
internal static class PerKeyVectors
{
    /// <summary>The vectors of keys 1..Count of <paramref name="keyColumn"/> (index = key − 1), read from <paramref name="valueColumn"/>.</summary>
    /// <param name="input">The interaction rows (column types already checked by the caller).</param>
    /// <param name="keyColumn">A scalar UInt32 key column.</param>
    /// <param name="valueColumn">A vector column of <typeparamref name="T"/>.</param>
    /// <param name="entity">"item" or "user", for messages.</param>
    /// <param name="what">What the vector is ("CF embedding", "semantic ID"), for messages.</param>
    /// <exception cref="ArgumentException">A key 0 or out of range, an empty or differently sized vector, two rows of a key that differ, or a key without a row.</exception>
    public static T[][] Read<T>(IDataView input, string keyColumn, string valueColumn, string entity, string what)
        where T : IEquatable<T>
    {
        DataViewSchema.Column key = input.Schema[keyColumn];
        DataViewSchema.Column value = input.Schema[valueColumn];
        int count = checked((int)((KeyDataViewType)key.Type).Count);
        var vectors = new T[count][];
        using DataViewRowCursor cursor = input.GetRowCursor(new[] { key, value });
        ValueGetter<uint> getKey = cursor.GetGetter<uint>(key);
        ValueGetter<VBuffer<T>> getValue = cursor.GetGetter<VBuffer<T>>(value);
        uint k = 0;
        VBuffer<T> buffer = default;
        long row = 0;
        int length = -1;
        while (cursor.MoveNext())
        {
            row++;
            getKey(ref k);
            if (k == 0 || k > count)
            {
                throw new ArgumentException($"Row {row}: column '{keyColumn}' has key {k}, which is missing or outside 1..{count}; every training row needs a known {entity}.");
            }

            getValue(ref buffer);
            if (buffer.Length == 0)
            {
                throw new ArgumentException($"Row {row}: {entity} key {k} has an empty {what} in column '{valueColumn}'; every {entity} needs one.");
            }

            if (length >= 0 && buffer.Length != length)
            {
                throw new ArgumentException($"Row {row}: column '{valueColumn}' has {buffer.Length} values but earlier rows have {length}; every {what} needs the same length.");
            }

            length = buffer.Length;
            T[]? first = vectors[k - 1];
            if (first is null)
            {
                vectors[k - 1] = buffer.DenseValues().ToArray();
                continue;
            }

            int i = 0;
            foreach (T v in buffer.DenseValues())
            {
                // IEquatable: a float NaN equals NaN here, so a NaN embedding is reported by the finiteness check, not as a conflict.
                if (!v.Equals(first[i]))
                {
                    throw new ArgumentException(
                        $"Row {row}: {entity} key {k} has {v} at position {i} of column '{valueColumn}' but an earlier row of the same {entity} has {first[i]}; each {entity} has one {what}.");
                }

                i++;
            }
        }

        int missing = Array.IndexOf(vectors, null);
        if (missing >= 0)
        {
            throw new ArgumentException(
                $"Column '{keyColumn}' declares {count} {entity}s but {entity} key {missing + 1} has no row, so it has no {what} in column '{valueColumn}'; train on rows that cover every {entity} of the key mapping.");
        }

        return vectors;
    }
}
