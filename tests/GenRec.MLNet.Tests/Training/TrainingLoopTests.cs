using FluentAssertions;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Training;

public sealed class TrainingLoopTests
{
    private sealed class LoopOptions : TorchTrainerOptions
    {
    }

    [Fact]
    public void ForwardBackwardAndOptimizerStepRunOnTorchSharp()
    {
        // Proves the native library loads (the build step patched it where needed) and autograd + AdamW work.
        torch.random.manual_seed(1);
        using var linear = torch.nn.Linear(3, 1);
        using var optimizer = torch.optim.AdamW(linear.parameters(), 0.05);
        using var x = torch.randn(32, 3);
        using var y = x.sum(1, keepdim: true);
        double first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = torch.nn.functional.mse_loss(linear.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        last.Should().BeLessThan(first / 100, "200 AdamW steps on a linear target must drive the error close to 0");
    }

    [Fact]
    public void LoopLearnsTheToyTargetAndReportsProgress()
    {
        torch.random.manual_seed(1);
        using var model = new ToyRegressionModel();
        var reports = new List<TrainingProgress>();
        var options = new LoopOptions { NumberOfEpochs = 60, LearningRate = 0.05, EarlyStoppingPatience = 0, LogEveryNSteps = 4, Progress = new SynchronousProgress<TrainingProgress>(reports.Add) };

        TrainingResult result = new TrainingLoop(new MLContext(1), options, "toy").Run(model, seed: 7);

        model.Weight.Should().BeApproximately(2f, 0.05f);
        model.Bias.Should().BeApproximately(1f, 0.05f);
        result.EpochsCompleted.Should().Be(60);
        result.Steps.Should().Be(60 * 4);
        result.StopReason.Should().Be(TrainingStopReason.Epochs);
        reports.Should().Contain(r => r.ValidationMetric != null);
        reports.Select(r => r.Step).Should().BeInAscendingOrder();
        result.ValidationCurve.Should().HaveCount(60);
    }

    [Fact]
    public void TimeSpentBeforeTheLoopCountsAgainstTheBudget()
    {
        // A 10-minute budget already spent before the loop (e.g. by a k-means initialization) stops it at its first
        // check, after one step; the control with nothing spent before trains all its epochs well within the budget.
        var options = new LoopOptions { NumberOfEpochs = 5, LearningRate = 0.05, EarlyStoppingPatience = 0, MaxTrainingTime = TimeSpan.FromMinutes(10) };
        torch.random.manual_seed(1);
        using var spent = new ToyRegressionModel();
        TrainingResult stopped = new TrainingLoop(new MLContext(1), options, "toy").Run(spent, seed: 7, spentBeforeRun: TimeSpan.FromMinutes(10));
        torch.random.manual_seed(1);
        using var fresh = new ToyRegressionModel();
        TrainingResult control = new TrainingLoop(new MLContext(1), options, "toy").Run(fresh, seed: 7);

        stopped.StopReason.Should().Be(TrainingStopReason.TimeBudget);
        stopped.Steps.Should().Be(1);
        stopped.PreparationTime.Should().Be(TimeSpan.FromMinutes(10));
        control.StopReason.Should().Be(TrainingStopReason.Epochs);
        control.Steps.Should().Be(5 * 4);
        control.PreparationTime.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestWeights()
    {
        torch.random.manual_seed(1);
        using var model = new ToyRegressionModel();
        // Validation improves for 3 epochs then gets worse: the loop must stop after the patience and restore epoch 3's weights.
        double[] metrics = { 0.1, 0.2, 0.3, 0.25, 0.2, 0.1, 0.0 };
        float weightAtBest = float.NaN;
        model.ValidationOverride = () =>
        {
            int call = model.ValidationCalls - 1;
            if (call == 2) weightAtBest = model.Weight;
            return metrics[Math.Min(call, metrics.Length - 1)];
        };
        var options = new LoopOptions { NumberOfEpochs = 20, LearningRate = 0.05, EarlyStoppingPatience = 2 };

        TrainingResult result = new TrainingLoop(new MLContext(1), options, "toy").Run(model, seed: 7);

        result.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        result.EpochsCompleted.Should().Be(5);
        result.BestEpoch.Should().Be(3);
        result.BestValidationMetric.Should().Be(0.3);
        model.Weight.Should().Be(weightAtBest);
    }

    [Theory]
    [InlineData(new[] { 0.3, 0.2, 0.1, 0.1 }, true)]
    [InlineData(new[] { 0.3, 0.3, 0.3, 0.3 }, true)]
    [InlineData(new[] { 0.1, 0.2, 0.1, 0.1 }, false)]
    public void MLContextLogWarnsWhenValidationNeverImproved(double[] metrics, bool warns)
    {
        torch.random.manual_seed(1);
        using var model = new ToyRegressionModel();
        model.ValidationOverride = () => metrics[Math.Min(model.ValidationCalls - 1, metrics.Length - 1)];
        var ml = new MLContext(1);
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning)
            {
                lock (warnings)
                {
                    warnings.Add(e.Message);
                }
            }
        };

        new TrainingLoop(ml, new LoopOptions { NumberOfEpochs = 4, LearningRate = 0.05, EarlyStoppingPatience = 0 }, "toy").Run(model, seed: 7);

        if (warns)
        {
            warnings.Should().ContainSingle(m => m.Contains("Validation never improved on its first result") && m.Contains("LearningRate"));
        }
        else
        {
            warnings.Should().NotContain(m => m.Contains("Validation never improved"));
        }
    }

    [Fact]
    public void DivergenceIsReportedWithEpochAndStep()
    {
        using var model = new ToyRegressionModel { ProduceNaN = true };
        var loop = new TrainingLoop(new MLContext(1), new LoopOptions { NumberOfEpochs = 2 }, "toy");

        Action run = () => loop.Run(model, seed: 1);

        run.Should().Throw<InvalidOperationException>().WithMessage("*loss is NaN at epoch 1, step 1*");
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var model = new ToyRegressionModel();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var loop = new TrainingLoop(new MLContext(1), new LoopOptions { CancellationToken = cancel.Token }, "toy");

        Action run = () => loop.Run(model, seed: 1);

        run.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void ResumeFromCheckpointGivesTheSameWeightsAsAnUninterruptedRun()
    {
        string dir = Path.Combine(Path.GetTempPath(), "genrec-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            torch.random.manual_seed(3);
            using var uninterrupted = new ToyRegressionModel();
            new TrainingLoop(new MLContext(1), new LoopOptions { NumberOfEpochs = 6, LearningRate = 0.02, EarlyStoppingPatience = 0 }, "toy").Run(uninterrupted, seed: 5);

            // Same initial weights; cancel during epoch 4 after a checkpoint at step 13, then resume in a new model.
            torch.random.manual_seed(3);
            using var first = new ToyRegressionModel();
            using var cancel = new CancellationTokenSource();
            var interruptingOptions = new LoopOptions
            {
                NumberOfEpochs = 6, LearningRate = 0.02, EarlyStoppingPatience = 0, CheckpointDirectory = dir, CheckpointEveryNSteps = 13, LogEveryNSteps = 1,
                Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 14) cancel.Cancel(); }),
                CancellationToken = cancel.Token,
            };
            Action interrupted = () => new TrainingLoop(new MLContext(1), interruptingOptions, "toy").Run(first, seed: 5, data => data.Add(64));
            interrupted.Should().Throw<OperationCanceledException>();

            torch.random.manual_seed(99); // different init: every weight must come from the checkpoint
            using var resumed = new ToyRegressionModel();
            var resumeOptions = new LoopOptions { NumberOfEpochs = 6, LearningRate = 0.02, EarlyStoppingPatience = 0, CheckpointDirectory = dir };
            TrainingResult result = new TrainingLoop(new MLContext(1), resumeOptions, "toy").Run(resumed, seed: 5, data => data.Add(64));

            result.Steps.Should().Be(24);
            resumed.Weight.Should().BeApproximately(uninterrupted.Weight, 1e-5f);
            resumed.Bias.Should().BeApproximately(uninterrupted.Bias, 1e-5f);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData(nameof(TorchTrainerOptions.LearningRate), double.NaN)]
    [InlineData(nameof(TorchTrainerOptions.LearningRate), -1.0)]
    [InlineData(nameof(TorchTrainerOptions.BatchSize), 0.0)]
    [InlineData(nameof(TorchTrainerOptions.NumberOfEpochs), 0.0)]
    [InlineData(nameof(TorchTrainerOptions.WeightDecay), double.PositiveInfinity)]
    public void BadOptionsNameTheField(string field, double value)
    {
        var options = new LoopOptions();
        var info = typeof(TorchTrainerOptions).GetField(field)!;
        info.SetValue(options, info.FieldType == typeof(int) ? (object)(int)value : value);

        Action create = () => new TrainingLoop(new MLContext(1), options, "toy");

        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(field);
    }
}

/// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, which races with assertions).</summary>
internal sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    public SynchronousProgress(Action<T> handler) => _handler = handler;

    public void Report(T value) => _handler(value);
}
