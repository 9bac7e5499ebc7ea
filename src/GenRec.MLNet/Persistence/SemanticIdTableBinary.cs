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

    public static SemanticIdTable Read(BinaryReader reader)
    {
        int rows = reader.ReadInt32();
        int levels = reader.ReadInt32();
        var sizes = new int[levels];
        for (int level = 0; level < levels; level++)
        {
            sizes[level] = reader.ReadInt32();
        }

        var codes = new int[rows][];
        for (int row = 0; row < rows; row++)
        {
            codes[row] = new int[levels];
            for (int level = 0; level < levels; level++)
            {
                codes[row][level] = reader.ReadInt32();
            }
        }

        return new SemanticIdTable(codes, sizes);
    }
}
