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
/// The TokenRec pipeline in miniature, built once: a synthetic catalog split as sets (one held-out test item per user),
/// matrix factorization for the CF user/item embeddings, and masked K-way tokenizers (3 ways × 8 codes) on them for the
/// user and item codes.
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

    public static readonly float[] UserEmbeddings;

    public static readonly float[] ItemEmbeddings;

    public static readonly SemanticIdTable UserCodes;

    public static readonly SemanticIdTable ItemCodes;

    static RetrievalTestData()
    {
        var ml = new MLContext(seed: 1);
        var cf = new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.MatrixFactorization,
            Dimension = CfDimension,
            NumberOfEpochs = 30,
            BatchSize = 512,
            LearningRate = 1e-2,
            Loss = CollaborativeLoss.Bpr,
            EarlyStoppingPatience = 0,
            Device = TorchDeviceKind.Cpu,
            Seed = 1,
        };
        int[][] train = TrainSets.ToArray();
        using (CollaborativeEmbeddingModel mf = CollaborativeEmbeddingTrainer.Train(ml, new CollaborativeTrainingData(UserCount, ItemCount, train), cf, train, out _))
        {
            UserEmbeddings = mf.UserEmbeddings.ToArray();
            ItemEmbeddings = mf.ItemEmbeddings.ToArray();
        }

        using (MaskedKWayModel users = MaskedKWayTrainer.Train(ml, UserEmbeddings, UserCount, CfDimension, TokenizerOptions(), out _))
        {
            UserCodes = users.Codes;
        }

        using (MaskedKWayModel items = MaskedKWayTrainer.Train(ml, ItemEmbeddings, ItemCount, CfDimension, TokenizerOptions(), out _))
        {
            ItemCodes = items.Codes;
        }
    }

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

    public static GenerativeRetrievalModel Train(GenerativeRetrievalOptions options, out TrainingResult result, IReadOnlyList<EvaluationCase>? validation = null) =>
        GenerativeRetrievalTrainer.Train(new MLContext(seed: 1), UserCodes, ItemCodes, ItemEmbeddings, CfDimension, TrainSets, validation, options, out result);

    public static IReadOnlyList<RecommendationRequest> Requests(int count) =>
        TestCases.Take(count).Select(c => new RecommendationRequest(c.UserIndex, c.History)).ToArray();

    private static MaskedKWayOptions TokenizerOptions() => new()
    {
        Ways = 3,
        CodebookSize = 8,
        CodeDimension = 8,
        EncoderLayerSizes = new[] { 32 },
        NumberOfEpochs = 10,
        BatchSize = 64,
        LearningRate = 3e-3,
        Device = TorchDeviceKind.Cpu,
        Seed = 1,
    };
}

/// <summary>One tiny retrieval model trained once (with a progress log) and shared by the tests that only read it.</summary>
public sealed class TrainedRetrievalFixture : IDisposable
{
    public TrainedRetrievalFixture()
    {
        Options = RetrievalTestData.Tiny();
        Options.Progress = new SynchronousProgress<TrainingProgress>(Losses.Add);
        Model = RetrievalTestData.Train(Options, out TrainingResult result);
        Result = result;
        Options.Progress = null;
    }

    internal GenerativeRetrievalOptions Options { get; }

    internal List<TrainingProgress> Losses { get; } = new();

    internal GenerativeRetrievalModel Model { get; }

    internal TrainingResult Result { get; }

    public void Dispose() => Model.Dispose();
}
