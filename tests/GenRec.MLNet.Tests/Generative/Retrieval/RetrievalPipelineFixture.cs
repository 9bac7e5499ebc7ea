using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tests.Pipeline;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>Trains the TokenRec chain once on the generative tests' synthetic catalog (300 users, 100 items).</summary>
public sealed class RetrievalPipelineFixture
{
    public const int CfDimension = 16;

    public static readonly InteractionDataset Data = OnePipelineFixture.Data;

    public RetrievalPipelineFixture()
    {
        var ml = new MLContext(seed: 3);
        Training = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows);
        Model = Pipeline(ml).Fit(Training);
        Retrieval = (GenerativeRetrievalTransformer)Model.LastTransformer;

        // The interactions as the pipeline's key mappings number them (first-seen order), ordered by time.
        IDataView keyed = Model.Take(2).Aggregate(Training, (data, stage) => stage.Transform(data));
        KeyedTraining = InteractionDataViews.ToInteractionDataset(keyed, "UserId", "ItemId", nameof(InteractionRow.Timestamp)).OrderByTime();
    }

    public InteractionDataset KeyedTraining { get; }

    public IDataView Training { get; }

    public TransformerChain<ITransformer> Model { get; }

    public GenerativeRetrievalTransformer Retrieval { get; }

    /// <param name="ml">The context.</param>
    /// <param name="change">Changes to the retrieval stage's options (e.g. the user-code anchor), or null.</param>
    public static EstimatorChain<ITransformer> Pipeline(MLContext ml, Action<GenerativeRetrievalOptions>? change = null)
    {
        GenerativeRetrievalOptions retrieval = RetrievalPipelineTests.Options(epochs: 2);
        retrieval.TimestampColumnName = nameof(InteractionRow.Timestamp);
        change?.Invoke(retrieval);
        return ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Model = CollaborativeModelKind.MatrixFactorization, Dimension = CfDimension, NumberOfEpochs = 3, Device = TorchDeviceKind.Cpu, Seed = 5, LogEveryNSteps = 10_000,
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "ItemEmbedding", Method = SemanticIdMethod.MaskedKWay, MaskedKWay = KWay(),
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ItemColumnName = "UserId", ContentColumnName = "UserEmbedding", Method = SemanticIdMethod.MaskedKWay, MaskedKWay = KWay(),
                SemanticIdColumnName = "UserSemanticId", QuantizedColumnName = "UserQuantizedVector",
            }))
            .Append<ITransformer>(ml.GenerativeRecommendation().GenerativeRetrieval(retrieval));
    }

    private static MaskedKWayOptions KWay() => new()
    {
        Ways = 3,
        CodebookSize = 8,
        CodeDimension = 8,
        EncoderLayerSizes = new[] { 32 },
        NumberOfEpochs = 5,
        MinimumTrainingSteps = 0, // a fixture: exactly these epochs
        BatchSize = 64,
        LearningRate = 3e-3,
        Device = TorchDeviceKind.Cpu,
        Seed = 1,
    };
}
