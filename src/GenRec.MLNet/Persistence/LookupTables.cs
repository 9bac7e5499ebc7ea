using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// Builds the key → vector tables that our transformers hand to ML.NET's public <c>MapValue</c> transform.
/// MapValue stores its table inside the model zip, which is how learned embeddings, codes and rankings
/// survive <c>mlContext.Model.Save</c>/<c>Load</c> without any non-public ML.NET API.
/// </summary>
internal static class LookupTables
{
    public const string KeyColumn = "Key";
    public const string ValueColumn = "Value";

    /// <summary>
    /// A table from key (uint, 1-based) to a vector; <paramref name="rows"/>[i] is the value of key i + 1, and key 0
    /// maps to <paramref name="missing"/>. <paramref name="size"/> 0 declares a variable-length vector column.
    /// </summary>
    public static IDataView KeyToVector<T>(MLContext mlContext, IReadOnlyList<T[]> rows, int size, T[] missing, PrimitiveDataViewType itemType)
    {
        var table = new List<Row<T>>(rows.Count + 1) { new Row<T> { Key = 0, Value = missing } };
        for (int i = 0; i < rows.Count; i++)
        {
            table.Add(new Row<T> { Key = (uint)(i + 1), Value = rows[i] });
        }

        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row<T>));
        schema[ValueColumn].ColumnType = size > 0 ? new VectorDataViewType(itemType, size) : new VectorDataViewType(itemType);
        return mlContext.Data.LoadFromEnumerable(table, schema);
    }

    /// <summary>Splits a row-major matrix into rows.</summary>
    public static float[][] Rows(ReadOnlySpan<float> matrix, int rowCount, int width)
    {
        var rows = new float[rowCount][];
        for (int r = 0; r < rowCount; r++)
        {
            rows[r] = matrix.Slice(r * width, width).ToArray();
        }

        return rows;
    }

    /// <summary>The row type of a lookup table (public fields so ML.NET can read it).</summary>
    public sealed class Row<T>
    {
        /// <summary>The key value.</summary>
        public uint Key;

        /// <summary>The vector for that key.</summary>
        public T[] Value = Array.Empty<T>();
    }
}
