using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class LightGcnFormatLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_TestLineIsTrainLinePlusHeldOut()
    {
        var train = _dir.Write("train.txt", "0 0 1 2", "1 3 1");
        var test = _dir.Write("test.txt", "0 0 1 2 5", "1 3 1 0 4");

        var data = LightGcnFormatLoader.Load(train, test);

        data.UserCount.Should().Be(2);
        data.ItemCount.Should().Be(6); // max index 5 (only in test) + 1
        data.Train.ItemIds.Should().Equal("0", "1", "2", "3", "4", "5");
        data.Train.UserIndices.Should().Equal(0, 0, 0, 1, 1);
        data.Train.ItemIndices.Should().Equal(0, 1, 2, 3, 1);
        data.Train.Timestamps.Should().BeNull();
        data.TestItems[0].Should().Equal(5);
        data.TestItems[1].Should().Equal(0, 4);
        data.CombinedInteractionCount.Should().Be(8);
    }

    [Fact]
    public void Load_TestLineWithOnlyHeldOutItems_AndUsersMissingFromOneFile()
    {
        var train = _dir.Write("train.txt", "0 0 1", "2 1");
        var test = _dir.Write("test.txt", "0 3", "1 2 2");

        var data = LightGcnFormatLoader.Load(train, test);

        data.UserCount.Should().Be(3);
        data.TestItems[0].Should().Equal(3);
        data.TestItems[1].Should().Equal(2); // user 1 has no training line; duplicates dropped
        data.TestItems[2].Should().BeEmpty();

        var split = data.ToSetSplit();
        split.TrainSets[0].Should().Equal(0, 1);
        split.TrainSets[1].Should().BeEmpty();
        split.ValidTargets.Should().OnlyContain(v => v.Length == 0);
        split.TestTargets[1].Should().Equal(2);
        split.TrainingPairs().Users.Should().Equal(0, 0, 2);
        split.TrainingPairs().Items.Should().Equal(0, 1, 1);
    }

    [Theory]
    [InlineData("1 2 x", "item index 'x' is not a non-negative integer")]
    [InlineData("u 2 3", "user index 'u' is not a non-negative integer")]
    [InlineData("1 -2", "item index '-2'")]
    [InlineData("0 9", "user 0 already has a line (line 1)")]
    public void Load_BadTrainLine_ReportsFileAndLine(string badLine, string problem)
    {
        var train = _dir.Write("train.txt", "0 0 1", badLine);
        var test = _dir.Write("test.txt", "0 0 1 2");
        TempDirectory.ShouldFailAt(() => LightGcnFormatLoader.Load(train, test), train, 2, problem);
    }

    [Fact]
    public void Load_BadTestLine_ReportsTestFile()
    {
        var train = _dir.Write("train.txt", "0 0 1");
        var test = _dir.Write("test.txt", "", "0 0 1 2.5");
        TempDirectory.ShouldFailAt(() => LightGcnFormatLoader.Load(train, test), test, 2, "item index '2.5'");
    }

    [Fact]
    public void Load_MissingTestFile_ThrowsFileNotFoundWithPath()
    {
        var train = _dir.Write("train.txt", "0 0 1");
        string test = Path.Combine(_dir.Path, "test.txt");
        FluentActions.Invoking(() => LightGcnFormatLoader.Load(train, test)).Should().Throw<FileNotFoundException>()
            .Which.Message.Should().Contain(test);
    }
}
