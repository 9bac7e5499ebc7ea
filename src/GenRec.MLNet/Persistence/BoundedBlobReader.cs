using System.Text;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// Reads an untrusted model blob. A model file is input like any other: one changed Int32 must not make a load ask for
/// gigabytes. So every length and count is checked against the bytes that remain (and a stated limit) before anything
/// is allocated, and every failure — a bad count, a blob that ends early — is an <see cref="InvalidDataException"/>
/// naming the blob and the field.
/// </summary>
/// <remarks>
/// The primitive reads keep <see cref="BinaryReader"/>'s names, so blob readers stay plain sequences of
/// <c>ReadInt32()</c> calls; the counted reads (<see cref="ReadCount"/>, <see cref="ReadInt32s"/>,
/// <see cref="ReadSingles"/>, <see cref="ReadBlock"/>) are the ones that name what they read.
/// </remarks>
internal sealed class BoundedBlobReader : BinaryReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly string _what;

    /// <param name="blob">The bytes.</param>
    /// <param name="what">What the blob holds, for messages (e.g. "generative recommender").</param>
    public BoundedBlobReader(byte[] blob, string what)
        : base(new MemoryStream(blob, writable: false), StrictUtf8)
    {
        _what = what;
    }

    /// <summary>Bytes not read yet.</summary>
    public long Remaining => BaseStream.Length - BaseStream.Position;

    /// <summary>An <see cref="InvalidDataException"/> that names the blob.</summary>
    public InvalidDataException Invalid(string detail) => new($"The {_what} in the model file is invalid: {detail}");

    /// <summary>
    /// Reads an Int32 count of items that take <paramref name="bytesPerItem"/> bytes each in the rest of the blob, and
    /// checks it lies in [<paramref name="min"/>, <paramref name="max"/>] and fits in the bytes that remain.
    /// </summary>
    public int ReadCount(string field, long bytesPerItem, int min = 0, int max = int.MaxValue)
    {
        int count = ReadInt32();
        RequireCount(count, field, bytesPerItem, min, max);
        return count;
    }

    /// <summary>Checks a count read earlier (or computed from earlier counts) as <see cref="ReadCount"/> does.</summary>
    public void RequireCount(long count, string field, long bytesPerItem, long min = 0, long max = int.MaxValue)
    {
        if (count < min || count > max)
        {
            throw Invalid($"{field} is {count}; it must be between {min} and {max}.");
        }

        if (bytesPerItem > 0 && count > Remaining / bytesPerItem)
        {
            throw Invalid($"{field} is {count}, which needs {count * bytesPerItem} bytes, but only {Remaining} remain.");
        }
    }

    /// <summary>Reads <paramref name="count"/> Int32 values, after checking they are all there.</summary>
    public int[] ReadInt32s(int count, string field)
    {
        RequireCount(count, field, sizeof(int));
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = base.ReadInt32();
        }

        return values;
    }

    /// <summary>Reads <paramref name="count"/> Single values, after checking they are all there.</summary>
    public float[] ReadSingles(int count, string field)
    {
        RequireCount(count, field, sizeof(float));
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = base.ReadSingle();
        }

        return values;
    }

    /// <summary>Reads an Int32 byte length and that many bytes.</summary>
    public byte[] ReadBlock(string field) => base.ReadBytes(ReadCount(field, 1));

    /// <inheritdoc />
    public override int ReadInt32() => Guard(base.ReadInt32);

    /// <inheritdoc />
    public override long ReadInt64() => Guard(base.ReadInt64);

    /// <inheritdoc />
    public override bool ReadBoolean() => Guard(base.ReadBoolean);

    /// <inheritdoc />
    public override byte ReadByte() => Guard(base.ReadByte);

    /// <inheritdoc />
    public override float ReadSingle() => Guard(base.ReadSingle);

    /// <inheritdoc />
    public override double ReadDouble() => Guard(base.ReadDouble);

    /// <inheritdoc />
    public override byte[] ReadBytes(int count)
    {
        RequireCount(count, "a byte count", 1);
        return base.ReadBytes(count);
    }

    /// <summary>A length-prefixed UTF-8 string whose length is checked before it is read.</summary>
    public override string ReadString()
    {
        int length = Guard(Read7BitEncodedInt);
        RequireCount(length, "a string length", 1);
        return Guard(() => StrictUtf8.GetString(base.ReadBytes(length)));
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException)
        {
            throw Invalid("it ends early (the file is truncated or a length in it is wrong).");
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw Invalid(ex.Message);
        }
    }
}
