using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Generative;

/// <summary>Input row of the generative recommender's compute step (column names are internal to the saved chain).</summary>
public sealed class GenerativeRecommendInput
{
    /// <summary>Model id.</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>Weight bytes (only on a process's first row).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>History as raw item key values (1-based; 0 = unseen).</summary>
    [ColumnName(GenerativeRecommendMappingFactory.HistoryColumn)]
    public uint[] History = Array.Empty<uint>();
}

/// <summary>Output row of the generative recommender's compute step.</summary>
public sealed class GenerativeRecommendOutput
{
    /// <summary>Recommended item key values, best first.</summary>
    [ColumnName(GenerativeRecommendMappingFactory.ItemsOutputColumn)]
    public uint[] Items = Array.Empty<uint>();

    /// <summary>Their scores (sum of code log-probabilities).</summary>
    [ColumnName(GenerativeRecommendMappingFactory.ScoresOutputColumn)]
    public float[] Scores = Array.Empty<float>();
}

/// <summary>
/// Serves one row: rebuilds the model from the carried weights on a process's first row (see
/// <see cref="WeightsCarrier"/>), then runs trie-constrained beam search for the row's history. History keys
/// that are 0 (unseen by the key mapping) or beyond the model's items are skipped.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class GenerativeRecommendMappingFactory : CustomMappingFactory<GenerativeRecommendInput, GenerativeRecommendOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.GenerativeRecommend.v1";

    internal const string HistoryColumn = "__GenRecHistory";
    internal const string ItemsOutputColumn = "__GenRecItems";
    internal const string ScoresOutputColumn = "__GenRecScores";

    /// <inheritdoc />
    public override Action<GenerativeRecommendInput, GenerativeRecommendOutput> GetMapping()
    {
        var carried = CarriedModel<GenerativeRecommenderModel>.ForComputeStep(GenerativeModelBlob.Load);
        return (input, output) => Serve(carried.Resolve(input.ModelId, input.Weights), input.History, userIndex: -1, output);
    }

    /// <summary>
    /// One row's recommendations: history keys 0 or beyond the model's items are skipped; a negative
    /// <paramref name="userIndex"/> is an unknown user (the user token's reserved bucket, when the model has one).
    /// No lock: the model serves any number of threads at once (see <see cref="GenerativeRecommenderModel"/>).
    /// </summary>
    internal static void Serve(GenerativeRecommenderModel model, uint[] historyKeys, int userIndex, GenerativeRecommendOutput output)
    {
        var (items, scores, _) = GenerativeRowServing.Serve(model, new[] { new GenerativeServingRequest(historyKeys, userIndex, 0) }, scoreRowItems: false);
        output.Items = items[0];
        output.Scores = scores[0];
    }
}
