using System.Buffers.Binary;
using FluentAssertions;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>Checks a file is a PNG (signature and IHDR chunk) and reads its pixel size from the header.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(string path)
    {
        File.Exists(path).Should().BeTrue($"{path} should have been written");
        byte[] bytes = File.ReadAllBytes(path);
        bytes.Length.Should().BeGreaterThan(33, path);
        bytes.AsSpan(0, 8).ToArray().Should().Equal(Signature, $"{path} starts with the PNG signature");
        System.Text.Encoding.ASCII.GetString(bytes, 12, 4).Should().Be("IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
