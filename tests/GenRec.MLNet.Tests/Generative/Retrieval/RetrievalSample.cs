using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>
/// The trained half of the TokenRec pipeline in miniature, built once per test run as the collection fixture of
/// <see cref="RetrievalSampleCollection"/>: matrix factorization for the CF user/item embeddings of
/// <see cref="RetrievalTestData"/>'s catalog, and masked K-way tokenizers (3 ways × 8 codes) on them for the user and item
/// codes. (It used to train in a static constructor, where a failure surfaced as a TypeInitializationException in
/// whichever test touched it first, and its time was billed to that test.)
/// </summary>
public sealed class RetrievalSample
{
    public RetrievalSample()
    {
        var ml = new MLContext(seed: 1);
        var cf = new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.MatrixFactorization,
            Dimension = RetrievalTestData.CfDimension,
            NumberOfEpochs = 30,
            BatchSize = 512,
            LearningRate = 1e-2,
            Loss = CollaborativeLoss.Bpr,
            EarlyStoppingPatience = 0,
            Device = TorchDeviceKind.Cpu,
            Seed = 1,
        };
        int[][] train = RetrievalTestData.TrainSets.ToArray();
        using (CollaborativeEmbeddingModel mf = CollaborativeEmbeddingTrainer.Train(ml, new CollaborativeTrainingData(RetrievalTestData.UserCount, RetrievalTestData.ItemCount, train), cf, train, out _))
        {
            UserEmbeddings = mf.UserEmbeddings.ToArray();
            ItemEmbeddings = mf.ItemEmbeddings.ToArray();
        }

        using (MaskedKWayModel users = MaskedKWayTrainer.Train(ml, UserEmbeddings, RetrievalTestData.UserCount, RetrievalTestData.CfDimension, TokenizerOptions(), out _))
        {
            UserCodes = users.Codes;
        }

        using (MaskedKWayModel items = MaskedKWayTrainer.Train(ml, ItemEmbeddings, RetrievalTestData.ItemCount, RetrievalTestData.CfDimension, TokenizerOptions(), out _))
        {
            ItemCodes = items.Codes;
        }
    }

    public float[] UserEmbeddings { get; }

    public float[] ItemEmbeddings { get; }

    public SemanticIdTable UserCodes { get; }

    public SemanticIdTable ItemCodes { get; }

    public GenerativeRetrievalModel Train(GenerativeRetrievalOptions options, out TrainingResult result, IReadOnlyList<EvaluationCase>? validation = null) =>
        GenerativeRetrievalTrainer.Train(new MLContext(seed: 1), UserCodes, ItemCodes, ItemEmbeddings, RetrievalTestData.CfDimension, RetrievalTestData.TrainSets, validation, options, out result);

    private static MaskedKWayOptions TokenizerOptions() => new()
    {
        Ways = 3,
        CodebookSize = 8,
        CodeDimension = 8,
        EncoderLayerSizes = new[] { 32 },
        NumberOfEpochs = 10,
        MinimumTrainingSteps = 0, // a fixture: exactly these epochs
        BatchSize = 64,
        LearningRate = 3e-3,
        Device = TorchDeviceKind.Cpu,
        Seed = 1,
    };
}
