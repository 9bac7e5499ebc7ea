using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tests.Training;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>
/// The TokenRec tests' synthetic catalog split as sets (one held-out test item per user) and their tiny options. The
/// trained parts (CF embeddings and K-way codes) are the collection fixture <see cref="RetrievalSample"/>.
/// </summary>
internal static class RetrievalTestData
{
    public const int CfDimension = 16;

    public static readonly SyntheticCatalog Catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 300, ItemCount = 120, MaxSequenceLength = 20, Seed = 7 });

    public static readonly SetSplit Split = SetSplitter.HoldOut(Catalog.Dataset, seed: 1);

    public static int UserCount => Split.UserCount;

    public static int ItemCount => Split.ItemCount;

    public static IReadOnlyList<int[]> TrainSets => Split.TrainSets;

    /// <summary>History = the user's training set, target = the held-out item (users without one are skipped).</summary>
    public static readonly EvaluationCase[] TestCases = Enumerable.Range(0, Split.UserCount)
        .Where(u => Split.TestTargets[u].Length > 0)
        .Select(u => new EvaluationCase(u, Split.TrainSets[u], Split.TestTargets[u]))
        .ToArray();

    /// <summary>
    /// A tiny retrieval model: 2 layers, d 32, 2 heads, history 10. Dropout is off so runs depend only on the seed (the
    /// global torch generator that dropout draws from is shared with concurrently running tests) and because CPU
    /// attention with dropout takes a slower path.
    /// </summary>
    public static GenerativeRetrievalOptions Tiny(int epochs = 12) => new()
    {
        Layers = 2,
        ModelDimension = 32,
        Heads = 2,
        FeedForwardDimension = 64,
        Dropout = 0.0,
        MaxHistoryLength = 10,
        ProjectionHiddenSizes = new[] { 64, 64 },
        PositivesPerPrompt = 4,
        NumberOfEpochs = epochs,
        BatchSize = 128,
        LearningRate = 3e-3,
        WarmupSteps = 10,
        WeightDecay = 0.0,
        EarlyStoppingPatience = 0,
        LogEveryNSteps = 5,
        Device = TorchDeviceKind.Cpu,
        Seed = 11,
    };

    public static IReadOnlyList<RecommendationRequest> Requests(int count) =>
        TestCases.Take(count).Select(c => new RecommendationRequest(c.UserIndex, c.History)).ToArray();
}

/// <summary>One tiny retrieval model trained once (with a progress log) and shared by the tests that only read it.</summary>
public sealed class TrainedRetrievalFixture : IDisposable
{
    public TrainedRetrievalFixture(RetrievalSample sample)
    {
        Options = RetrievalTestData.Tiny();
        Options.Progress = new SynchronousProgress<TrainingProgress>(Losses.Add);
        Model = sample.Train(Options, out TrainingResult result);
        Result = result;
        Options.Progress = null;
    }

    internal GenerativeRetrievalOptions Options { get; }

    internal List<TrainingProgress> Losses { get; } = new();

    internal GenerativeRetrievalModel Model { get; }

    internal TrainingResult Result { get; }

    public void Dispose() => Model.Dispose();
}
