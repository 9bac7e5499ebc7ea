using System.Diagnostics;
using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Sweeping;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Sweeping;

/// <summary>Real sweeps (matrix factorization on a small generated shop): limits, determinism, halving, the best model.</summary>
public sealed class SweepExperimentTests
{
    private static readonly int[] Ten = [10];

    [Fact]
    public void RandomSearchRunsExactlyMaxTrialsReportsEachLiveAndStartsFromTheDefaults()
    {
        var recorder = new SweepTestData.Recorder<TrialResult<CollaborativeEmbeddingOptions>>();
        SweepResult<CollaborativeEmbeddingOptions> result = SweepTestData.Experiment(seed: 1).SetMaxTrials(5).Run(recorder);

        result.Trials.Should().HaveCount(5);
        result.StopReason.Should().Be(SweepStopReason.MaxTrials);
        recorder.Reports.Should().Equal(result.Trials, "every trial is reported once, in order, as it ends");
        result.Trials.Select(t => t.Id).Should().Equal(0, 1, 2, 3, 4);
        result.Trials.Should().OnlyContain(t => t.Status == TrialStatus.Completed && t.Budget == 9 && t.Rung == 0, "random search trains at the largest budget");
        result.Trials.Should().OnlyContain(t => t.ValidationRecallAt10 > 0 && t.ValidationRecallAt10 <= 1 && t.ValidationNdcgAt10 > 0);
        result.Trials.Should().OnlyContain(t => t.Options.NumberOfEpochs == 9 && t.Options.CancellationToken == CancellationToken.None);

        // Trial 0 is the defaults factory's own configuration; the others are draws.
        result.Trials[0].Parameters.Should().Contain("Dimension", 16).And.Contain("LearningRate", 0.01);
        result.Trials.Skip(1).Select(t => (double)t.Parameters["LearningRate"]!).Should().OnlyContain(lr => lr >= 1e-3 && lr <= 1e-1 && lr != 0.01);
        result.ToTable().Should().Contain("recall@10").And.Contain("LearningRate").And.Contain("Completed");
    }

    [Fact]
    public void TheBestModelIsTheTrialWithTheHighestValidationMetricAndScoresItAgain()
    {
        foreach (SweepMetric metric in new[] { SweepMetric.RecallAt10, SweepMetric.NdcgAt10 })
        {
            SweepResult<CollaborativeEmbeddingOptions> result = SweepTestData.Experiment(seed: 2).SetMaxTrials(5).SetOptimizingMetric(metric).Run();

            double best = result.Trials.Max(t => t.Metric(metric));
            result.BestTrial.Metric(metric).Should().Be(best);
            result.BestTrial.Id.Should().Be(result.Trials.First(t => t.Metric(metric) == best).Id, "ties go to the earlier trial");
            result.Trials.Select(t => t.Metric(metric)).Distinct().Should().HaveCountGreaterThan(1, "the configurations differ, so should their scores");

            // The returned model is that trial's fitted pipeline: scoring the validation rows again gives its metrics exactly.
            RecommendationMetrics again = new MLContext(seed: 5).GenerativeRecommendation().Evaluate(result.BestModel.Transform(SweepTestData.Split.Validation), ks: Ten);
            again.Recall(10).Should().Be(result.BestTrial.ValidationRecallAt10);
            again.Ndcg(10).Should().Be(result.BestTrial.ValidationNdcgAt10);
        }
    }

    [Fact]
    public void TheSameSeedRepeatsTheSweepAndAnotherSeedDrawsOtherConfigurations()
    {
        SweepResult<CollaborativeEmbeddingOptions> first = SweepTestData.Experiment(seed: 7).SetMaxTrials(4).Run();
        SweepResult<CollaborativeEmbeddingOptions> again = SweepTestData.Experiment(seed: 7).SetMaxTrials(4).Run();
        SweepResult<CollaborativeEmbeddingOptions> other = SweepTestData.Experiment(seed: 8).SetMaxTrials(4).Run();

        Describe(again).Should().Equal(Describe(first));
        again.Trials.Select(t => t.ValidationRecallAt10).Should().Equal(first.Trials.Select(t => t.ValidationRecallAt10), "each trial trains under its configuration's seed");
        again.BestTrial.Id.Should().Be(first.BestTrial.Id);

        // The control: trial 0 is the defaults in both, every drawn configuration differs.
        Describe(other)[0].Should().Be(Describe(first)[0]);
        Describe(other).Skip(1).Should().NotIntersectWith(Describe(first).Skip(1));
    }

    [Fact]
    public void SuccessiveHalvingPromotesTheBestThirdOfEachRungToThreeTimesTheBudget()
    {
        SweepResult<CollaborativeEmbeddingOptions> result = SweepTestData.Experiment(seed: 3)
            .SetTuner(SweepTuner.SuccessiveHalving, reductionFactor: 3).SetMaxTrials(13).Run();

        // Budget 1..9 with η = 3: 9 configurations at 1 epoch, the best 3 at 3 epochs, the best one at 9.
        result.Trials.Select(t => t.Rung).Should().Equal(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2);
        result.Trials.Select(t => t.Budget).Should().Equal(1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 9);
        result.Trials.Should().OnlyContain(t => t.Status == TrialStatus.Completed && t.Options.NumberOfEpochs == t.Budget);

        int[] rung0Best = [.. result.Trials.Where(t => t.Rung == 0).OrderByDescending(t => t.ValidationRecallAt10).ThenBy(t => t.Id).Take(3).Select(t => t.ConfigurationId)];
        result.Trials.Where(t => t.Rung == 1).Select(t => t.ConfigurationId).Should().BeEquivalentTo(rung0Best);
        int rung1Best = result.Trials.Where(t => t.Rung == 1).OrderByDescending(t => t.ValidationRecallAt10).ThenBy(t => t.Id).First().ConfigurationId;
        result.Trials.Single(t => t.Rung == 2).ConfigurationId.Should().Be(rung1Best);

        // A promoted configuration keeps its sampled values; only the budget changes.
        foreach (TrialResult<CollaborativeEmbeddingOptions> promoted in result.Trials.Where(t => t.Rung > 0))
        {
            promoted.Parameters.Should().Equal(result.Trials.Single(t => t.Rung == 0 && t.ConfigurationId == promoted.ConfigurationId).Parameters);
        }
    }

    [Fact]
    public void TheTimeBudgetStopsTheSweepAndCancelsTheTrialThatIsTraining()
    {
        // Each trial gets enough epochs to outlast the budget: the running trial must be stopped from inside training.
        var space = new SearchSpace<CollaborativeEmbeddingOptions>(() => new CollaborativeEmbeddingOptions
            {
                Dimension = 16, NumberOfEpochs = 100_000, EarlyStoppingPatience = 0, LogEveryNSteps = 1000, ValidateEveryNEpochs = 1000,
            })
            .Uniform(o => o.LearningRate, 1e-3, 1e-1, logScale: true);
        var clock = Stopwatch.StartNew();
        var sweep = new MLContext(seed: 0).GenerativeRecommendation().Sweep(space, SweepTestData.Pipeline)
            .SetDataset(SweepTestData.Split).SetSeed(0).SetTrainingTimeInSeconds(3);

        FluentActions.Invoking(() => sweep.Run()).Should().Throw<InvalidOperationException>().WithMessage("*TimeBudget*without completing one*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the trial is cancelled at the budget, not after 100,000 epochs");

        // With cheap trials the budget ends the sweep after several of them, the last one possibly cancelled.
        var recorder = new SweepTestData.Recorder<TrialResult<CollaborativeEmbeddingOptions>>();
        clock.Restart();
        // (20 s leaves room for more than one trial on a loaded 2-core machine, where one takes a second or two, and
        // 8 s once was not enough when the test process ran niced beside two long benchmarks.)
        SweepResult<CollaborativeEmbeddingOptions> result = SweepTestData.Experiment(seed: 4).SetTrainingTimeInSeconds(20).Run(recorder);
        result.StopReason.Should().Be(SweepStopReason.TimeBudget);
        result.Trials.Count.Should().BeGreaterThan(1);
        result.Trials.Take(result.Trials.Count - 1).Should().OnlyContain(t => t.Status == TrialStatus.Completed);
        recorder.Reports.Should().Equal(result.Trials);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task CancellingRunAsyncReturnsTheTrialsFinishedSoFar()
    {
        using var cancel = new CancellationTokenSource();
        var recorder = new SweepTestData.Recorder<TrialResult<CollaborativeEmbeddingOptions>>(trial =>
        {
            if (trial.Id == 1)
            {
                cancel.Cancel();
            }
        });

        SweepResult<CollaborativeEmbeddingOptions> result = await SweepTestData.Experiment(seed: 5).SetMaxTrials(50).RunAsync(recorder, cancel.Token);

        result.StopReason.Should().Be(SweepStopReason.Cancelled);
        result.Trials.Should().HaveCount(2);
        result.BestTrial.Status.Should().Be(TrialStatus.Completed);
    }

    [Fact]
    public void AFailingConfigurationIsRecordedAndTheSweepGoesOnUntilNoneCompletes()
    {
        // Dimension 0 is rejected by the collaborative options' validation; 8 trains.
        var space = new SearchSpace<CollaborativeEmbeddingOptions>(() => new CollaborativeEmbeddingOptions { NumberOfEpochs = 2, LogEveryNSteps = 1000 })
            .Choice(o => o.Dimension, 0, 8);
        SweepResult<CollaborativeEmbeddingOptions> mixed = new MLContext(seed: 0).GenerativeRecommendation().Sweep(space, SweepTestData.Pipeline)
            .SetDataset(SweepTestData.Split).SetSeed(0).SetStartFromDefaults(false).SetMaxTrials(6).Run();
        mixed.Trials.Should().Contain(t => t.Status == TrialStatus.Failed && t.Error!.Contains("Dimension"));
        mixed.Trials.Where(t => t.Status == TrialStatus.Failed).Should().OnlyContain(t => (int)t.Parameters["Dimension"]! == 0);
        mixed.BestTrial.Parameters["Dimension"].Should().Be(8);

        var broken = new SearchSpace<CollaborativeEmbeddingOptions>(() => new CollaborativeEmbeddingOptions { NumberOfEpochs = 2 }).Choice(o => o.Dimension, 0);
        FluentActions.Invoking(() => new MLContext(seed: 0).GenerativeRecommendation().Sweep(broken, SweepTestData.Pipeline)
                .SetDataset(SweepTestData.Split).SetStartFromDefaults(false).SetMaxTrials(2).Run())
            .Should().Throw<InvalidOperationException>().WithMessage("*without completing one*first failure*Dimension*");
    }

    [Fact]
    public void MisconfiguredExperimentsFailWithAMessageNamingTheMissingPiece()
    {
        var genRec = new MLContext(seed: 0).GenerativeRecommendation();
        var noBudget = new SearchSpace<CollaborativeEmbeddingOptions>(() => new()).Choice(o => o.Dimension, 8, 16);

        FluentActions.Invoking(() => genRec.Sweep(SweepTestData.Space(), SweepTestData.Pipeline).SetMaxTrials(1).Run())
            .Should().Throw<InvalidOperationException>().WithMessage("*no data*SetDataset*");
        FluentActions.Invoking(() => genRec.Sweep(SweepTestData.Space(), SweepTestData.Pipeline).SetDataset(SweepTestData.Split).Run())
            .Should().Throw<InvalidOperationException>().WithMessage("*no limit*SetTrainingTimeInSeconds*SetMaxTrials*");
        FluentActions.Invoking(() => genRec.Sweep(noBudget, SweepTestData.Pipeline).SetTuner(SweepTuner.SuccessiveHalving))
            .Should().Throw<InvalidOperationException>().WithMessage("*Successive halving needs a budget*SearchSpace.Budget*");
        FluentActions.Invoking(() => genRec.Sweep(SweepTestData.Space(), SweepTestData.Pipeline).SetMaxTrials(0))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 1*");
        FluentActions.Invoking(() => genRec.Sweep(SweepTestData.Space(), SweepTestData.Pipeline).SetTuner(SweepTuner.SuccessiveHalving, reductionFactor: 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*reduction factor*at least 2*");
        var noValidation = genRec.LeaveOneOutSplit(SweepTestData.Split.Train, "User", "Item", "Timestamp", withValidation: false);
        FluentActions.Invoking(() => genRec.Sweep(SweepTestData.Space(), SweepTestData.Pipeline).SetDataset(noValidation))
            .Should().Throw<ArgumentException>().WithMessage("*no validation rows*withValidation: true*");
    }

    private static string[] Describe(SweepResult<CollaborativeEmbeddingOptions> result) =>
        [.. result.Trials.Select(t => string.Join(';', t.Parameters.Select(p => $"{p.Key}={p.Value}")))];
}
