using System.Buffers.Binary;
using System.IO.Compression;

namespace GenRec.MLNet.Tests.Persistence;

/// <summary>
/// Seeded corruptions of a model zip: bit flips and truncations of the file, changed length fields in its zip headers,
/// and the same inside one entry's content (the entry is rewritten into an otherwise valid zip, so the change reaches the
/// ML.NET and GenRec readers behind the zip layer, which checks no CRC).
/// </summary>
internal static class ZipMutator
{
    private const uint LocalHeader = 0x04034b50;
    private const uint CentralHeader = 0x02014b50;

    /// <summary>Values a corrupted length field is set to: empty, one, off by one, negative, and far beyond any file.</summary>
    private static readonly int[] LengthValues = { 0, 1, -1, int.MaxValue, int.MinValue, 1 << 30, 0x7FFF_FFF0 };

    public static string[] EntryNames(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    /// <summary>1–8 random bits of the file flipped.</summary>
    public static byte[] FlipBits(byte[] data, Random random)
    {
        byte[] copy = (byte[])data.Clone();
        int flips = random.Next(1, 9);
        for (int i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    /// <summary>The file cut at a random point.</summary>
    public static byte[] Truncate(byte[] data, Random random) => data[..random.Next(data.Length)];

    /// <summary>One size, name-length or offset field of a random local or central zip header set to a hostile value.</summary>
    public static byte[] ChangeHeaderLength(byte[] zip, Random random)
    {
        var headers = new List<(int At, bool Central)>();
        for (int i = 0; i + 4 <= zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature is LocalHeader or CentralHeader)
            {
                headers.Add((i, signature == CentralHeader));
            }
        }

        (int at, bool central) = headers[random.Next(headers.Count)];
        // Local: compressed size 18, uncompressed 22, name length 26 (2 bytes). Central: 20, 24, 28 (2 bytes), offset 42.
        int[] fields = central ? new[] { 20, 24, 28, 42 } : new[] { 18, 22, 26 };
        int field = at + fields[random.Next(fields.Length)];
        byte[] copy = (byte[])zip.Clone();
        bool twoBytes = (central && field == at + 28) || (!central && field == at + 26);
        int value = LengthValues[random.Next(LengthValues.Length)];
        if (twoBytes)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(field), (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(field), value);
        }

        return copy;
    }

    /// <summary>
    /// The zip with entry <paramref name="entryName"/>'s content corrupted by <paramref name="corrupt"/> and everything
    /// else unchanged.
    /// </summary>
    public static byte[] RewriteEntry(byte[] zip, string entryName, Func<byte[], byte[]> corrupt)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using var content = new MemoryStream();
                using (Stream read = entry.Open())
                {
                    read.CopyTo(content);
                }

                byte[] bytes = entry.FullName == entryName ? corrupt(content.ToArray()) : content.ToArray();
                using Stream write = target.CreateEntry(entry.FullName, CompressionLevel.Fastest).Open();
                write.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>A 4-byte little-endian field at a random offset set to a hostile length (the shape of every length prefix).</summary>
    public static byte[] ChangeInt32(byte[] data, Random random)
    {
        if (data.Length < 4)
        {
            return Truncate(data, random);
        }

        byte[] copy = (byte[])data.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(random.Next(data.Length - 3)), LengthValues[random.Next(LengthValues.Length)]);
        return copy;
    }

    /// <summary>The entries whose content differs between two zips (all of them when <paramref name="changed"/> cannot be read as a zip).</summary>
    public static string[] ChangedEntries(byte[] original, byte[] changed)
    {
        Dictionary<string, byte[]> before = Contents(original)!;
        Dictionary<string, byte[]>? after = Contents(changed);
        if (after is null)
        {
            return before.Keys.ToArray();
        }

        return before.Keys.Union(after.Keys)
            .Where(name => !before.TryGetValue(name, out byte[]? a) || !after.TryGetValue(name, out byte[]? b) || !a.AsSpan().SequenceEqual(b))
            .ToArray();
    }

    private static Dictionary<string, byte[]>? Contents(byte[] zip)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                using Stream read = entry.Open();
                using var buffer = new MemoryStream();
                read.CopyTo(buffer);
                contents[entry.FullName] = buffer.ToArray();
            }

            return contents;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
