using FluentAssertions;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Training;

/// <summary>
/// Every tensor a training step or a validation creates is disposed by the end of its epoch: the number of live tensors
/// does not grow from epoch to epoch. A leak of even one tensor per batch would show here as steady growth (and, on a
/// long run, as memory that only the garbage collector's finalizers ever return).
/// </summary>
public sealed class TensorLifetimeTests
{
    [Fact]
    public void LiveTensorsDoNotGrowAcrossEpochsOfTrainingAndValidation()
    {
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny(epochs: 5);
        options.ValidateEveryNEpochs = 1; // a validation (beam search, best-weights copy) every epoch
        options.MaxValidationUsers = 30;
        var liveAfterEpoch = new List<long>();
        // Reported synchronously on the training thread after each epoch's validation; the statistics are per thread.
        options.Progress = new Recorder(p =>
        {
            if (p.ValidationMetric is not null)
            {
                liveAfterEpoch.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
        });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        using GenerativeRecommenderModel model = GenerativeRecommenderTrainer.Train(new MLContext(seed: 1), GenerativeTestData.Codes, GenerativeTestData.Split, options, out TrainingResult result);

        liveAfterEpoch.Should().HaveCount(5);
        // The first two epochs create state that lives for the whole run (optimizer moments, the best-weights copy that
        // each improvement replaces, validation's lookup tensors): measured 252, 414, 495, 495, 495. From the third epoch
        // on, every epoch must dispose exactly what it creates.
        liveAfterEpoch.Skip(2).Should().AllBeEquivalentTo(liveAfterEpoch[2],
            $"live tensors after each epoch were {string.Join(", ", liveAfterEpoch)} (best epoch {result.BestEpoch})");
        (liveAfterEpoch[1] - before).Should().BeGreaterThan(0, "the model's parameters and optimizer state are live tensors, so the count does see them");
    }

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        private readonly Action<TrainingProgress> _report;

        public Recorder(Action<TrainingProgress> report) => _report = report;

        public void Report(TrainingProgress value) => _report(value);
    }
}
