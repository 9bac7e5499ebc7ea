using FluentAssertions;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tests.Training;

/// <summary>Checkpoints: exact resume to the best weights, and binding to data, options and seed.</summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    // Validation peaks at epoch 2 and never recovers: the model a run returns must be epoch 2's.
    private static readonly double[] MetricByEpoch = { 0.1, 0.5, 0.2, 0.3, 0.1, 0.0 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "genrec-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    [Fact]
    public void ResumeAfterAKillReturnsTheBestEpochsWeightsLikeAnUninterruptedRun()
    {
        torch.random.manual_seed(3);
        using ToyRegressionModel uninterrupted = ScriptedToy();
        LoopOptions plain = Options();
        plain.CheckpointDirectory = null;
        TrainingResult expected = Loop(plain).Run(uninterrupted, seed: 5);
        expected.BestEpoch.Should().Be(2, "the scripted metric peaks at epoch 2");

        // Same initial weights; "killed" in epoch 4, after the end-of-epoch-3 checkpoint. An exception writes nothing,
        // as kill -9 would not.
        torch.random.manual_seed(3);
        using ToyRegressionModel first = ScriptedToy();
        using var cancel = new CancellationTokenSource();
        LoopOptions killing = Options();
        killing.LogEveryNSteps = 1;
        killing.Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 14) cancel.Cancel(); });
        killing.CancellationToken = cancel.Token;
        Action interrupted = () => Loop(killing).Run(first, seed: 5, Data("a"));
        interrupted.Should().Throw<OperationCanceledException>();

        torch.random.manual_seed(99); // another initialization: every weight must come from the checkpoint
        using ToyRegressionModel resumed = ScriptedToy();
        TrainingResult result = Loop(Options()).Run(resumed, seed: 5, Data("a"));

        result.BestEpoch.Should().Be(2);
        result.BestValidationMetric.Should().Be(0.5);
        result.Steps.Should().Be(expected.Steps);
        result.ValidationCurve.Select(p => p.Epoch).Should().Equal(1, 2, 3, 4, 5, 6);
        resumed.Weight.Should().Be(uninterrupted.Weight, "the returned model is the best epoch's, as in the uninterrupted run");
        resumed.Bias.Should().Be(uninterrupted.Bias);
    }

    [Fact]
    public void ACompletedRunOnOtherDataIsAnErrorNamingTheFolderNotAReusedModel()
    {
        using (ToyRegressionModel model = ScriptedToy())
        {
            Loop(Options()).Run(model, seed: 5, Data("monday"));
        }

        using ToyRegressionModel retrain = ScriptedToy();
        Action run = () => Loop(Options()).Run(retrain, seed: 5, Data("tuesday"));

        run.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain(_dir).And.Contain("training data differ").And.NotContain("seed 5");
    }

    [Fact]
    public void OtherOptionsOrSeedAreNamedInTheError()
    {
        using (ToyRegressionModel model = ScriptedToy())
        {
            Loop(Options()).Run(model, seed: 5, Data("a"));
        }

        LoopOptions otherRate = Options();
        otherRate.LearningRate = 0.05;
        using ToyRegressionModel retrain = ScriptedToy();

        Action byOptions = () => Loop(otherRate).Run(retrain, seed: 5, Data("a"));
        Action bySeed = () => Loop(Options()).Run(retrain, seed: 6, Data("a"));

        byOptions.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("LearningRate = 0.02 there, 0.05 now");
        bySeed.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("seed 5 there, 6 now");
    }

    [Fact]
    public void AnEarlyStoppedRunIsCompleteAndARerunReusesItWithAWarningInsteadOfTraining()
    {
        LoopOptions options = Options();
        options.NumberOfEpochs = 20;
        options.EarlyStoppingPatience = 2;
        torch.random.manual_seed(3);
        using ToyRegressionModel first = ScriptedToy();
        TrainingResult trained = Loop(options).Run(first, seed: 5, Data("a"));
        trained.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        trained.EpochsCompleted.Should().Be(4);

        var warnings = new List<string>();
        var ml = new MLContext(1);
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) lock (warnings) warnings.Add(e.Message); };
        torch.random.manual_seed(99);
        using ToyRegressionModel rerun = ScriptedToy();
        TrainingResult reused = new TrainingLoop(ml, options, "toy").Run(rerun, seed: 5, Data("a"));

        reused.ReusedCompletedCheckpoint.Should().BeTrue();
        reused.Steps.Should().Be(trained.Steps, "no step was taken");
        reused.EpochsCompleted.Should().Be(4);
        reused.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        reused.BestEpoch.Should().Be(2);
        rerun.ValidationCalls.Should().Be(0);
        rerun.Weight.Should().Be(first.Weight);
        rerun.Bias.Should().Be(first.Bias);
        warnings.Should().ContainSingle(w => w.Contains("completed run") && w.Contains(_dir));
    }

    [Fact]
    public void CheckpointsNeedADescriptionOfTheData()
    {
        using ToyRegressionModel model = ScriptedToy();

        Action run = () => Loop(Options()).Run(model, seed: 5);

        run.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("describeData");
        Directory.Exists(_dir).Should().BeFalse("nothing may be written for an unbound run");
    }

    [Fact]
    public void ACheckpointOfAnotherModelSizeFailsNamingTheFolder()
    {
        using (var small = new WidthModel(4))
        {
            Loop(Options()).Run(small, seed: 5, Data("a"));
        }

        // Same data, options and seed, but a caller built a wider network (a size the options do not record).
        using var wide = new WidthModel(8);
        Action run = () => Loop(Options()).Run(wide, seed: 5, Data("a"));

        run.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(_dir).And.Contain("does not fit this model");
    }

    [Fact]
    public void AWriteLeavesOneCompleteFileAndNoTemporaryOne()
    {
        using ToyRegressionModel model = ScriptedToy();
        LoopOptions options = Options();
        options.CheckpointEveryNSteps = 3;

        Loop(options).Run(model, seed: 5, Data("a"));

        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().Equal("checkpoint.bin");
    }

    private static ToyRegressionModel ScriptedToy()
    {
        var model = new ToyRegressionModel();
        model.ValidationOverride = () => MetricByEpoch[Math.Min(model.CurrentEpoch, MetricByEpoch.Length - 1)];
        return model;
    }

    private static Action<TrainingDataFingerprint> Data(string name) => data => data.Add(name.Select(c => (int)c).ToArray());

    private static TrainingLoop Loop(LoopOptions options) => new(new MLContext(1), options, "toy");

    private LoopOptions Options() => new() { NumberOfEpochs = 6, LearningRate = 0.02, EarlyStoppingPatience = 0, CheckpointDirectory = _dir };

    private sealed class LoopOptions : TorchTrainerOptions
    {
    }

    /// <summary>A linear model of a chosen input width, to write a checkpoint that another width cannot load.</summary>
    private sealed class WidthModel : ITrainableModel<int>, IDisposable
    {
        private readonly TorchSharp.Modules.Linear _linear;

        public WidthModel(int width) => _linear = nn.Linear(width, 1);

        public nn.Module Module => _linear;

        public int BatchesPerEpoch => 1;

        public IEnumerable<int> EnumerateBatches(int epoch, Random random) => new[] { epoch };

        public Tensor ComputeLoss(int batch) => _linear.forward(ones(2, _linear.in_features)).square().mean();

        public int CountExamples(int batch) => 2;

        public double? Validate() => null;

        public void Dispose() => _linear.Dispose();
    }
}
