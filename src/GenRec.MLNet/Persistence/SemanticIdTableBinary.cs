using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// The one binary layout of a <see cref="SemanticIdTable"/> inside the model blobs: rows, levels, each level's
/// codebook size, then every code row-major (all Int32). Shared so the blobs cannot drift apart.
/// </summary>
internal static class SemanticIdTableBinary
{
    public static void Write(BinaryWriter writer, SemanticIdTable codes)
    {
        writer.Write(codes.ItemCount);
        writer.Write(codes.Levels);
        foreach (int size in codes.CodebookSizes)
        {
            writer.Write(size);
        }

        foreach (int code in codes.AllCodes)
        {
            writer.Write(code);
        }
    }

    /// <summary>Reads a table, checking the level count, each codebook size and the row count against the bytes left.</summary>
    /// <exception cref="InvalidDataException">A count out of range, a code outside its codebook, or a table cut short.</exception>
    public static SemanticIdTable Read(BoundedBlobReader reader)
    {
        int rows = reader.ReadInt32();
        int levels = reader.ReadCount("the code table's level count", sizeof(int), min: 1, max: ModelFileLimits.MaxLevels);
        int[] sizes = reader.ReadInt32s(levels, "the code table's codebook sizes");
        for (int level = 0; level < levels; level++)
        {
            reader.RequireCount(sizes[level], $"the codebook size of level {level}", bytesPerItem: 0, min: 1, max: ModelFileLimits.MaxCodebookSize);
        }

        reader.RequireCount(rows, "the code table's row count", bytesPerItem: (long)levels * sizeof(int));
        var codes = new int[rows][];
        for (int row = 0; row < rows; row++)
        {
            codes[row] = reader.ReadInt32s(levels, "a code row");
        }

        try
        {
            return new SemanticIdTable(codes, sizes);
        }
        catch (ArgumentException ex)
        {
            throw reader.Invalid(ex.Message);
        }
    }
}
