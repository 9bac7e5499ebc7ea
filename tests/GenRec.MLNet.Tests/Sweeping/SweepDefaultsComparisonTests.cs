using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Sweeping;
using Xunit;

namespace GenRec.MLNet.Tests.Sweeping;

/// <summary>
/// What a sweep says about its winner against the defaults: the standard error of a validation Recall@10, the defaults'
/// trial at their largest budget, and the winner's lead in standard errors, against hand-computed values.
/// </summary>
public sealed class SweepDefaultsComparisonTests
{
    private const int Users = 625;

    [Fact]
    public void TheStandardErrorOfRecallIsTheBinomialOneOverTheValidationUsers()
    {
        // √(0.04 · 0.96 / 625) = 0.0078384
        Completed(0, 0, budget: 4, recall: 0.04).ValidationRecallStandardError.Should().BeApproximately(0.0078384, 1e-6);
        SweepTrials.Create(1, 1, 0, 4, TrialStatus.Cancelled, null, null, 1, Users).ValidationRecallStandardError.Should().Be(double.NaN);
    }

    [Fact]
    public void TheDefaultsTrialIsConfigurationZeroAtTheLargestBudgetItCompleted()
    {
        var defaultsAtOne = Completed(0, configuration: 0, budget: 1, recall: 0.01);
        var other = Completed(1, configuration: 1, budget: 4, recall: 0.06);
        var defaultsAtFour = Completed(2, configuration: 0, budget: 4, recall: 0.04);
        var defaultsAtEightCancelled = SweepTrials.Create(3, 0, 2, 8, TrialStatus.Cancelled, null, null, 1, Users);

        var result = Result([defaultsAtOne, other, defaultsAtFour, defaultsAtEightCancelled], best: other, startedFromDefaults: true);

        result.DefaultsTrial.Should().BeSameAs(defaultsAtFour);
    }

    [Fact]
    public void AWinnerLessThanTwoStandardErrorsAheadIsReportedAsWithinTheNoise()
    {
        var defaults = Completed(0, configuration: 0, budget: 4, recall: 0.04);
        var best = Completed(1, configuration: 3, budget: 4, recall: 0.06);

        var result = Result([defaults, best], best, startedFromDefaults: true);

        // (0.06 − 0.04) / √(0.04·0.96/625 + 0.06·0.94/625) = 0.02 / 0.012316 = 1.624
        result.BestLeadOverDefaultsInStandardErrors.Should().BeApproximately(1.6239, 1e-4);
        result.ToString().Should().Contain("defaults (trial 0): Recall@10 0.0400 ± 0.0078, best 0.0600 ± 0.0095: 1.6 standard errors, within the validation noise");
    }

    [Fact]
    public void AWinnerMoreThanTwoStandardErrorsAheadIsReportedAsBeyondTheNoise()
    {
        var defaults = Completed(0, configuration: 0, budget: 4, recall: 0.04);
        var best = Completed(1, configuration: 3, budget: 4, recall: 0.09);

        var result = Result([defaults, best], best, startedFromDefaults: true);

        // 0.05 / √(0.04·0.96/625 + 0.09·0.91/625) = 3.604
        result.BestLeadOverDefaultsInStandardErrors.Should().BeApproximately(3.6039, 1e-4);
        result.ToString().Should().Contain("3.6 standard errors, a lead beyond the validation noise");
    }

    [Fact]
    public void DefaultsDroppedAtASmallerBudgetAreNotComparedWithTheBest()
    {
        var defaults = Completed(0, configuration: 0, budget: 1, recall: 0.01);
        var best = Completed(1, configuration: 3, budget: 4, recall: 0.09);

        var result = Result([defaults, best], best, startedFromDefaults: true);

        result.DefaultsTrial.Should().BeSameAs(defaults);
        result.BestLeadOverDefaultsInStandardErrors.Should().Be(double.NaN);
        result.ToString().Should().EndWith("; the defaults (trial 0) reached budget 1 only, the best ran at 4: not compared");
    }

    [Fact]
    public void WithoutTheDefaultsAsAConfigurationThereIsNothingToCompare()
    {
        var first = Completed(0, configuration: 0, budget: 4, recall: 0.04);
        var best = Completed(1, configuration: 1, budget: 4, recall: 0.09);

        var result = Result([first, best], best, startedFromDefaults: false);

        result.DefaultsTrial.Should().BeNull();
        result.BestLeadOverDefaultsInStandardErrors.Should().Be(double.NaN);
        result.ToString().Should().NotContain("defaults");
    }

    [Fact]
    public void WhenTheDefaultsWinTheReportSaysSo()
    {
        var defaults = Completed(0, configuration: 0, budget: 4, recall: 0.09);
        var other = Completed(1, configuration: 1, budget: 4, recall: 0.04);

        var result = Result([defaults, other], defaults, startedFromDefaults: true);

        result.BestLeadOverDefaultsInStandardErrors.Should().Be(0);
        result.ToString().Should().EndWith("; the defaults are the best trial");
    }

    private static TrialResult<CollaborativeEmbeddingOptions> Completed(int id, int configuration, int budget, double recall) =>
        SweepTrials.Create(id, configuration, rung: 0, budget, TrialStatus.Completed, recall, ndcg: recall / 2, seconds: 1, Users);

    private static SweepResult<CollaborativeEmbeddingOptions> Result(TrialResult<CollaborativeEmbeddingOptions>[] trials,
        TrialResult<CollaborativeEmbeddingOptions> best, bool startedFromDefaults) =>
        // The comparison reads the trials only; the best model is never touched.
        new(trials, best, bestModel: null!, SweepMetric.RecallAt10, SweepStopReason.MaxTrials, TimeSpan.FromSeconds(5), startedFromDefaults);
}
