using FluentAssertions;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Sweeping;
using GenRec.MLNet.Tokenization.RqVae;
using Xunit;

namespace GenRec.MLNet.Tests.Sweeping;

/// <summary>Sampling from a <see cref="SearchSpace{TOptions}"/>: ranges, log scales, choices, and how options are set.</summary>
public sealed class SearchSpaceTests
{
    private const int Draws = 4000;

    [Fact]
    public void LinearUniformStaysInRangeAndIsFlat()
    {
        var space = new SearchSpace<GenerativePipelineOptions>(() => new()).Uniform(o => o.Recommender.Dropout, 0.1, 0.5);
        double[] values = Draw(space, "Recommender.Dropout", 1).Cast<double>().ToArray();

        values.Should().OnlyContain(v => v >= 0.1 && v <= 0.5);
        // Flat on [0.1, 0.5]: a quarter of the draws below 0.2, mean 0.3 (4,000 draws: standard error under 0.01).
        values.Count(v => v < 0.2).Should().BeInRange((int)(Draws * 0.22), (int)(Draws * 0.28));
        values.Average().Should().BeApproximately(0.3, 0.01);
    }

    [Fact]
    public void LogScaleUniformPutsHalfTheDrawsBelowTheGeometricMean()
    {
        // On [1e-4, 1e-1] the geometric mean is 10^-2.5 ≈ 0.00316. Log-uniform puts half the draws below it; a linear
        // draw would put only (0.00316 - 0.0001) / 0.0999 ≈ 3% there.
        var logSpace = new SearchSpace<GenerativePipelineOptions>(() => new()).Uniform(o => o.Recommender.LearningRate, 1e-4, 1e-1, logScale: true);
        var linearSpace = new SearchSpace<GenerativePipelineOptions>(() => new()).Uniform(o => o.Recommender.LearningRate, 1e-4, 1e-1);
        double geometricMean = Math.Pow(10, -2.5);

        double[] log = Draw(logSpace, "Recommender.LearningRate", 2).Cast<double>().ToArray();
        double[] linear = Draw(linearSpace, "Recommender.LearningRate", 2).Cast<double>().ToArray();

        log.Should().OnlyContain(v => v >= 1e-4 && v <= 1e-1);
        ((double)log.Count(v => v < geometricMean) / Draws).Should().BeApproximately(0.5, 0.03);
        ((double)linear.Count(v => v < geometricMean) / Draws).Should().BeApproximately(0.031, 0.015);
        // Each decade gets a third of the log-scale draws.
        ((double)log.Count(v => v < 1e-3) / Draws).Should().BeApproximately(1.0 / 3, 0.03);
    }

    [Fact]
    public void IntegersHitBothEndsAndLogScaleFavoursSmallValuesPerDecade()
    {
        var linear = new SearchSpace<GenerativePipelineOptions>(() => new()).Integer(o => o.Recommender.DecoderLayers, 1, 4);
        int[] layers = Draw(linear, "Recommender.DecoderLayers", 3).Cast<int>().ToArray();
        layers.Distinct().Order().Should().Equal(1, 2, 3, 4);
        foreach (int value in new[] { 1, 2, 3, 4 })
        {
            ((double)layers.Count(v => v == value) / Draws).Should().BeApproximately(0.25, 0.03);
        }

        // Log scale on 1..100: P(value < 10) = ln(10) / ln(101) ≈ 0.499 (each integer owns [v, v+1) in log space).
        var log = new SearchSpace<GenerativePipelineOptions>(() => new()).Integer(o => o.Recommender.MaxHistoryLength, 1, 100, logScale: true);
        int[] lengths = Draw(log, "Recommender.MaxHistoryLength", 4).Cast<int>().ToArray();
        lengths.Should().OnlyContain(v => v >= 1 && v <= 100);
        ((double)lengths.Count(v => v < 10) / Draws).Should().BeApproximately(Math.Log(10) / Math.Log(101), 0.03);
        lengths.Should().Contain(100);
    }

    [Fact]
    public void ChoicesDrawOnlyTheGivenValuesEvenly()
    {
        var space = new SearchSpace<GenerativePipelineOptions>(() => new())
            .Choice(o => o.Tokenizer.RqVae.CodebookSize, 16, 32, 64)
            .Choice(o => o.Recommender.Architecture, GenerativeArchitecture.DecoderOnly);
        object?[] sizes = Draw(space, "Tokenizer.RqVae.CodebookSize", 5);
        sizes.Cast<int>().Distinct().Order().Should().Equal(16, 32, 64);
        foreach (int size in new[] { 16, 32, 64 })
        {
            ((double)sizes.Count(v => (int)v! == size) / Draws).Should().BeApproximately(1.0 / 3, 0.03);
        }

        Draw(space, "Recommender.Architecture", 5).Should().OnlyContain(v => (GenerativeArchitecture)v! == GenerativeArchitecture.DecoderOnly);
    }

    [Fact]
    public void CreateSetsSampledNestedMembersOnFreshDefaultsAndLeavesTheRest()
    {
        var space = new SearchSpace<GenerativePipelineOptions>(() => new GenerativePipelineOptions
            {
                Recommender = new GenerativeRecommenderOptions { Heads = 3, LearningRate = 0.5 },
                Tokenizer = new() { RqVae = new RqVaeOptions { Levels = 2 } },
            })
            .Uniform(o => o.Recommender.LearningRate, 1e-4, 1e-2, logScale: true)
            .Choice(o => o.Tokenizer.RqVae.CodebookSize, 8, 16)
            .Budget(o => o.Recommender.NumberOfEpochs, 2, 8);
        IReadOnlyDictionary<string, object?> values = space.Sample(new Random(0));

        GenerativePipelineOptions first = space.Create(values, budget: 4);
        GenerativePipelineOptions second = space.Create(values, budget: null);

        first.Recommender.LearningRate.Should().Be((double)values["Recommender.LearningRate"]!).And.BeInRange(1e-4, 1e-2);
        first.Tokenizer.RqVae.CodebookSize.Should().Be((int)values["Tokenizer.RqVae.CodebookSize"]!);
        first.Recommender.NumberOfEpochs.Should().Be(4);
        first.Recommender.Heads.Should().Be(3, "options outside the space keep the defaults factory's values");
        first.Tokenizer.RqVae.Levels.Should().Be(2);
        second.Recommender.NumberOfEpochs.Should().Be(new GenerativeRecommenderOptions().NumberOfEpochs, "no budget given leaves the default");
        second.Recommender.Should().NotBeSameAs(first.Recommender, "every trial gets its own option objects");
        space.ParameterNames.Should().Equal("Recommender.LearningRate", "Tokenizer.RqVae.CodebookSize");
        space.BudgetName.Should().Be("Recommender.NumberOfEpochs");
        space.DefaultValues().Should().Contain("Recommender.LearningRate", 0.5).And.Contain("Tokenizer.RqVae.CodebookSize", new RqVaeOptions().CodebookSize);
    }

    [Fact]
    public void BadDefinitionsFailWhereTheyAreDeclaredNamingTheOption()
    {
        var space = new SearchSpace<GenerativePipelineOptions>(() => new());

        FluentActions.Invoking(() => space.Uniform(o => o.Recommender.LearningRate, 0.1, 0.01))
            .Should().Throw<ArgumentException>().WithMessage("*Recommender.LearningRate*empty*0.1*greater than max 0.01*");
        FluentActions.Invoking(() => space.Uniform(o => o.Recommender.Dropout, 0, 0.5, logScale: true))
            .Should().Throw<ArgumentException>().WithMessage("*log-scale range of 'Recommender.Dropout' must be positive*");
        FluentActions.Invoking(() => space.Uniform(o => o.Recommender.Dropout, 0, double.PositiveInfinity))
            .Should().Throw<ArgumentException>().WithMessage("*Recommender.Dropout*finite*");
        FluentActions.Invoking(() => space.Integer(o => o.Recommender.DecoderLayers, 0, 3, logScale: true))
            .Should().Throw<ArgumentException>().WithMessage("*Recommender.DecoderLayers*positive*");
        FluentActions.Invoking(() => space.Choice(o => o.Tokenizer.RqVae.CodebookSize))
            .Should().Throw<ArgumentException>().WithMessage("*Tokenizer.RqVae.CodebookSize*at least one value*");
        FluentActions.Invoking(() => space.Uniform(o => o.Recommender.LearningRate * 2, 0.1, 0.2))
            .Should().Throw<ArgumentException>().WithMessage("*chain of fields or properties*");
        FluentActions.Invoking(() => space.Budget(o => o.Recommender.NumberOfEpochs, 0, 5))
            .Should().Throw<ArgumentException>().WithMessage("*budget 'Recommender.NumberOfEpochs' must start at 1*");

        space.Choice(o => o.Recommender.Heads, 1, 2);
        FluentActions.Invoking(() => space.Integer(o => o.Recommender.Heads, 1, 4))
            .Should().Throw<ArgumentException>().WithMessage("*already declares 'Recommender.Heads'*");
        space.Budget(o => o.Recommender.NumberOfEpochs, 1, 9);
        FluentActions.Invoking(() => space.Budget(o => o.Recommender.BatchSize, 1, 9))
            .Should().Throw<InvalidOperationException>().WithMessage("*already has the budget 'Recommender.NumberOfEpochs'*");
    }

    [Fact]
    public void ReadOnlyMembersAndNullIntermediatesAreRejectedByName()
    {
        FluentActions.Invoking(() => new SearchSpace<ReadOnlyOptions>(() => new()).Integer(o => o.Fixed, 1, 2))
            .Should().Throw<ArgumentException>().WithMessage("*'Fixed' cannot be set*read-only*");

        var space = new SearchSpace<GenerativePipelineOptions>(() => new()).Integer(o => o.Collaborative!.Dimension, 8, 16);
        FluentActions.Invoking(() => space.Create(space.Sample(new Random(1)), null))
            .Should().Throw<InvalidOperationException>().WithMessage("*Collaborative.Dimension*'Collaborative' is null*");

        var nullDefaults = new SearchSpace<GenerativePipelineOptions>(() => null!);
        FluentActions.Invoking(() => nullDefaults.Create(new Dictionary<string, object?>(), null))
            .Should().Throw<InvalidOperationException>().WithMessage("*defaults factory returned null*");
    }

    [Fact]
    public void SuccessiveHalvingBracketsMultiplyTheBudgetAndDivideTheConfigurations()
    {
        SuccessiveHalvingPlan full = SuccessiveHalvingPlan.Create(2, 18, 3, int.MaxValue);
        full.Budgets.Should().Equal(2, 6, 18);
        full.Sizes.Should().Equal(9, 3, 1);

        // Seven trials left: the largest first rung whose bracket fits is 5 (5 + 1 + 1).
        SuccessiveHalvingPlan shrunk = SuccessiveHalvingPlan.Create(2, 18, 3, 7);
        shrunk.Sizes.Should().Equal(5, 1, 1);
        shrunk.TrialCount.Should().Be(7);

        // The last rung is capped at the largest budget even when η does not divide it.
        SuccessiveHalvingPlan capped = SuccessiveHalvingPlan.Create(1, 10, 4, int.MaxValue);
        capped.Budgets.Should().Equal(1, 4, 10);
        capped.Sizes.Should().Equal(16, 4, 1);
        SuccessiveHalvingPlan.Create(5, 5, 3, 100).Sizes.Should().Equal(1);
    }

    private static object?[] Draw<T>(SearchSpace<T> space, string name, int seed)
        where T : class
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Draws).Select(_ => space.Sample(random)[name])];
    }

    private sealed class ReadOnlyOptions
    {
        public int Fixed { get; } = 3;
    }
}
