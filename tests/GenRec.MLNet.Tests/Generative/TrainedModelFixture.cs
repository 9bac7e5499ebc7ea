using GenRec.MLNet.Generative;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Generative;

/// <summary>One tiny TIGER-layout model trained once and shared by the tests that only read it.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Options = GenerativeTestData.Tiny();
        Options.Progress = Log;
        Model = GenerativeRecommenderTrainer.Train(new MLContext(seed: 1), GenerativeTestData.Codes, GenerativeTestData.Split, Options, out TrainingResult result);
        Result = result;
        Options.Progress = null;
    }

    internal GenerativeRecommenderOptions Options { get; }

    internal ProgressLog Log { get; } = new();

    internal GenerativeRecommenderModel Model { get; }

    internal TrainingResult Result { get; }

    public void Dispose() => Model.Dispose();
}
