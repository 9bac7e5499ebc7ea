using FluentAssertions;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private sealed class LoopOptions : TorchTrainerOptions
    {
    }

    private static List<TrainingProgress> LearningRates(LearningRateSchedule schedule, int epochs, TimeSpan? budget)
    {
        torch.random.manual_seed(1);
        using var model = new ToyRegressionModel();
        var reports = new List<TrainingProgress>();
        var options = new LoopOptions
        {
            NumberOfEpochs = epochs,
            LearningRate = 0.05,
            LearningRateSchedule = schedule,
            WarmupSteps = 4,
            EarlyStoppingPatience = 0,
            ValidateEveryNEpochs = 1000,
            MaxTrainingTime = budget,
            LogEveryNSteps = 1,
            Progress = new SynchronousProgress<TrainingProgress>(reports.Add),
        };
        new TrainingLoop(new MLContext(1), options, "toy").Run(model, seed: 7);
        return [.. reports.Where(r => r.ValidationMetric is null)]; // one report per step; validations report again
    }

    [Fact]
    public void WithoutABudgetTheTimeBudgetCosineIsTheStepCosine()
    {
        double[] byBudget = [.. LearningRates(LearningRateSchedule.CosineWithinTimeBudget, epochs: 10, budget: null).Select(r => r.LearningRate)];
        double[] bySteps = [.. LearningRates(LearningRateSchedule.Cosine, epochs: 10, budget: null).Select(r => r.LearningRate)];

        byBudget.Should().Equal(bySteps);
        bySteps.Should().HaveCount(40, "10 epochs of the toy's 4 batches, one report per step");
        bySteps[3].Should().BeApproximately(0.05, 1e-12, "the fourth step ends the warm-up at the peak");
        bySteps[^1].Should().BeLessThan(0.05 * 0.05, "the step cosine ends near 1% of the peak");
    }

    [Fact]
    public void UnderABindingBudgetTheTimeBudgetCosineDecaysWhileTheStepCosineStaysNearThePeak()
    {
        // 100,000 planned epochs never finish in 1.5 s: the step cosine barely starts to decay (the control), while the
        // time-budget cosine follows the clock and is near its floor when the budget stops training.
        var budget = TimeSpan.FromSeconds(1.5);
        List<TrainingProgress> byBudget = LearningRates(LearningRateSchedule.CosineWithinTimeBudget, epochs: 100_000, budget);
        List<TrainingProgress> bySteps = LearningRates(LearningRateSchedule.Cosine, epochs: 100_000, budget);

        bySteps[^1].LearningRate.Should().BeGreaterThan(0.05 * 0.99);
        byBudget[^1].LearningRate.Should().BeLessThan(0.05 * 0.5);
        byBudget.Where(r => r.Step > 4).Select(r => r.LearningRate).Should().BeInDescendingOrder("after warm-up the rate only falls as time passes");
    }
}
