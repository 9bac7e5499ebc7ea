using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class UserSequenceLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_ReadsRawIdsInOrder()
    {
        var path = _dir.Write("user_sequence.txt", "A1 B9 B2 B9", "", "A7\tB2  C3");

        var d = UserSequenceLoader.Load(path);

        d.UserIds.Should().Equal("A1", "A7");
        d.ItemIds.Should().Equal("B9", "B2", "C3");
        d.UserIndices.Should().Equal(0, 0, 0, 1, 1);
        d.ItemIndices.Should().Equal(0, 1, 0, 1, 2);
        d.Timestamps.Should().Equal(0, 1, 2, 0, 1);
    }

    [Fact]
    public void Load_UserWithoutItems_ReportsLine()
    {
        var path = _dir.Write("user_sequence.txt", "A1 B1", "A2");
        TempDirectory.ShouldFailAt(() => UserSequenceLoader.Load(path), path, 2, "at least one item");
    }

    [Fact]
    public void Load_RepeatedUser_ReportsLine()
    {
        var path = _dir.Write("user_sequence.txt", "A1 B1", "A2 B2", "A1 B3");
        TempDirectory.ShouldFailAt(() => UserSequenceLoader.Load(path), path, 3, "already has a sequence on line 1");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundWithPath()
    {
        string path = Path.Combine(_dir.Path, "nope.txt");
        FluentActions.Invoking(() => UserSequenceLoader.Load(path)).Should().Throw<FileNotFoundException>()
            .Which.FileName.Should().Be(path);
    }
}
