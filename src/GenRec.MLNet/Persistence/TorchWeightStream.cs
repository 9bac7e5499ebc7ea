namespace GenRec.MLNet.Persistence;

/// <summary>
/// Walks TorchSharp's module weight format (an entry count, then per entry a name, a dtype, a rank, the dimensions and
/// the raw elements, the integers LEB128-encoded) without allocating anything it describes. TorchSharp's own loader
/// sizes arrays from these integers before it compares them with the module, so a crafted rank could make it allocate
/// without bound; checking the stream first keeps that from ever running on bad input.
/// </summary>
internal static class TorchWeightStream
{
    private const int MaxRank = 8;

    /// <summary>The bytes of tensor data in <paramref name="weights"/>, after checking every entry is well formed and present.</summary>
    /// <exception cref="InvalidDataException">A count, rank, dimension or dtype that is out of range, or data that is missing.</exception>
    public static long Scan(byte[] weights, string what)
    {
        using var reader = new BoundedBlobReader(weights, what + " weights");
        long entries = ReadLeb128(reader, "the number of tensors");
        reader.RequireCount(entries, "the number of tensors", bytesPerItem: 3, max: 1_000_000); // name length, dtype, rank: 3 bytes at least
        long dataBytes = 0;
        for (long entry = 0; entry < entries; entry++)
        {
            string name = reader.ReadString();
            long dtype = ReadLeb128(reader, $"the dtype of '{name}'");
            int elementSize = ElementSize(dtype) ?? throw reader.Invalid($"tensor '{name}' has unknown dtype {dtype}.");
            long rank = ReadLeb128(reader, $"the rank of '{name}'");
            reader.RequireCount(rank, $"the rank of '{name}'", bytesPerItem: 1, max: MaxRank);
            long elements = 1;
            for (int axis = 0; axis < rank; axis++)
            {
                long size = ReadLeb128(reader, $"dimension {axis} of '{name}'");
                reader.RequireCount(size, $"dimension {axis} of '{name}'", bytesPerItem: 0, max: int.MaxValue);
                elements = size == 0 ? 0 : elements > long.MaxValue / size ? long.MaxValue : elements * size;
            }

            reader.RequireCount(elements, $"the element count of '{name}'", elementSize, max: long.MaxValue);
            long bytes = elements * elementSize;
            reader.BaseStream.Seek(bytes, SeekOrigin.Current);
            dataBytes += bytes;
        }

        if (reader.Remaining != 0)
        {
            throw reader.Invalid($"{reader.Remaining} bytes follow the last tensor.");
        }

        return dataBytes;
    }

    private static long ReadLeb128(BoundedBlobReader reader, string field)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw reader.Invalid($"{field} is not a valid number.");
    }

    // Bytes per element of LibTorch's scalar types that a module may hold (by their enum value).
    private static int? ElementSize(long dtype) => dtype switch
    {
        0 or 1 or 11 => 1,   // uint8, int8, bool
        2 or 5 or 15 => 2,   // int16, float16, bfloat16
        3 or 6 => 4,         // int32, float32
        4 or 7 or 9 => 8,    // int64, float64, complex64
        10 => 16,            // complex128
        _ => null,
    };
}
