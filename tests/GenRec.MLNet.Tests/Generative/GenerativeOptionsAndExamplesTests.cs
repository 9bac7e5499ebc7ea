using FluentAssertions;
using GenRec.MLNet.Generative;
using Xunit;

namespace GenRec.MLNet.Tests.Generative;

public sealed class GenerativeOptionsAndExamplesTests
{
    [Fact]
    public void DefaultsFollowLetter()
    {
        var options = new GenerativeRecommenderOptions();
        options.Validate();
        (options.EncoderLayers, options.DecoderLayers, options.ModelDimension, options.Heads, options.HeadDimension, options.FeedForwardDimension)
            .Should().Be((4, 4, 128, 6, 64, 1024));
        options.Dropout.Should().Be(0.1);
        options.MaxHistoryLength.Should().Be(20);
        options.BeamSize.Should().Be(20);
        options.TopK.Should().Be(10);
        options.LearningRateSchedule.Should().Be(GenRec.MLNet.Training.LearningRateSchedule.Cosine);
        options.WarmupSteps.Should().BePositive();
    }

    [Theory]
    [InlineData(nameof(GenerativeRecommenderOptions.EncoderLayers))]
    [InlineData(nameof(GenerativeRecommenderOptions.DecoderLayers))]
    [InlineData(nameof(GenerativeRecommenderOptions.ModelDimension))]
    [InlineData(nameof(GenerativeRecommenderOptions.Heads))]
    [InlineData(nameof(GenerativeRecommenderOptions.HeadDimension))]
    [InlineData(nameof(GenerativeRecommenderOptions.FeedForwardDimension))]
    [InlineData(nameof(GenerativeRecommenderOptions.Dropout))]
    [InlineData(nameof(GenerativeRecommenderOptions.MaxHistoryLength))]
    [InlineData(nameof(GenerativeRecommenderOptions.Temperature))]
    [InlineData(nameof(GenerativeRecommenderOptions.UserHashBuckets))]
    [InlineData(nameof(GenerativeRecommenderOptions.BeamSize))]
    [InlineData(nameof(GenerativeRecommenderOptions.TopK))]
    [InlineData(nameof(GenerativeRecommenderOptions.DecodeBatchSize))]
    [InlineData(nameof(GenerativeRecommenderOptions.MaxValidationUsers))]
    [InlineData(nameof(GenerativeRecommenderOptions.Architecture))]
    [InlineData(nameof(GenerativeRecommenderOptions.InputMode))]
    public void ValidateNamesTheBadField(string field)
    {
        var options = new GenerativeRecommenderOptions { UseUserToken = true };
        var info = typeof(GenerativeRecommenderOptions).GetField(field)!;
        object bad = info.FieldType == typeof(double) ? (field == nameof(GenerativeRecommenderOptions.Dropout) ? 1.0 : 0.0)
            : info.FieldType.IsEnum ? Enum.ToObject(info.FieldType, 99)
            : -1;
        info.SetValue(options, bad);
        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().Which.ParamName.Should().Be(field);
    }

    [Fact]
    public void PrefixExamplesAreEveryPrefixCappedToTheHistoryWindow()
    {
        int[][] sequences = { new[] { 10, 11, 12, 13, 14 }, new[] { 20 }, new[] { 30, 31 } };
        var examples = new GenerativeExamples(sequences, maxHistory: 3, windows: false);
        examples.Count.Should().Be(4 + 0 + 1);
        examples.TargetCount.Should().Be(5);
        var described = Enumerable.Range(0, examples.Count)
            .Select(e => (History: Window(examples.Slice(e)), Target: examples.Target(e))).ToArray();
        described.Should().BeEquivalentTo(new[]
        {
            (new[] { 10 }, 11), (new[] { 10, 11 }, 12), (new[] { 10, 11, 12 }, 13), (new[] { 11, 12, 13 }, 14), (new[] { 30 }, 31),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void DecoderOnlyWindowsPredictEveryTrainingItemButTheFirstExactlyOnce()
    {
        int[][] sequences = { Enumerable.Range(100, 8).ToArray(), new[] { 7 }, new[] { 1, 2, 3 } };
        var examples = new GenerativeExamples(sequences, maxHistory: 3, windows: true);
        var predicted = new List<int>();
        for (int e = 0; e < examples.Count; e++)
        {
            HistorySlice slice = examples.Slice(e);
            slice.Length.Should().BeInRange(1, 3);
            predicted.AddRange(Enumerable.Range(slice.Start + 1, slice.Length).Select(i => slice.Sequence[i]));
            examples.Targets(e).Should().Be(slice.Length);
        }

        predicted.Should().BeEquivalentTo(Enumerable.Range(101, 7).Concat(new[] { 2, 3 }));
        examples.TargetCount.Should().Be(9);
    }

    private static int[] Window(HistorySlice slice) => slice.Sequence.Skip(slice.Start).Take(slice.Length).ToArray();
}
