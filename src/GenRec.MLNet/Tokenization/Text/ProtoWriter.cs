using System.Text;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// The few protobuf wire-format primitives needed to emit a small ONNX graph (varints, length-delimited fields,
/// packed repeated values). Written here rather than taken from Google.Protobuf so the library does not compile
/// against a package it only receives transitively through the ONNX transformer.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintWireType = 0;
    private const int Fixed32WireType = 5;
    private const int LengthDelimitedWireType = 2;

    private readonly MemoryStream _buffer = new();

    /// <summary>An integer field (int32/int64/enum), encoded as a varint; negative values take ten bytes as protobuf requires.</summary>
    public ProtoWriter Int(int field, long value)
    {
        WriteTag(field, VarintWireType);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A float field (fixed 32-bit little-endian).</summary>
    public ProtoWriter Float(int field, float value)
    {
        WriteTag(field, Fixed32WireType);
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>A UTF-8 string field.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedWireType);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>An embedded message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>A repeated int64 field in packed form (what proto3 writers emit and every reader accepts).</summary>
    public ProtoWriter PackedInts(int field, IEnumerable<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long value in values)
        {
            packed.WriteVarint(unchecked((ulong)value));
        }

        return Bytes(field, packed.ToArray());
    }

    /// <summary>The encoded message.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
