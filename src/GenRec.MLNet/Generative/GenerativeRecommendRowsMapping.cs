using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Generative;

/// <summary>Input row of the compute step of a model trained on interaction rows (column names are internal to the saved chain).</summary>
public sealed class GenerativeRecommendRowsInput
{
    /// <summary>Model id.</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>Weight bytes (only on a process's first row).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>The user's raw key value (1-based; 0 = a user the key mapping has not seen).</summary>
    [ColumnName(GenerativeRecommendUserMappingFactory.UserColumn)]
    public uint User;

    /// <summary>The user's training history as raw item key values (from the table stored in the zip; empty for unknown users).</summary>
    [ColumnName(GenerativeRecommendRowsMappingFactory.StoredHistoryColumn)]
    public uint[] StoredHistory = Array.Empty<uint>();

    /// <summary>A history brought by the prediction row (raw item key values); empty = use the stored one.</summary>
    [ColumnName(GenerativeRecommendMappingFactory.HistoryColumn)]
    public uint[] History = Array.Empty<uint>();

    /// <summary>The row's item as a raw key value (0 = none or unseen): the item whose <c>Score</c> is computed.</summary>
    [ColumnName(GenerativeRecommendRowsMappingFactory.ItemColumn)]
    public uint Item;
}

/// <summary>Output row of the interaction-row compute step: the recommendations and the row item's score.</summary>
public sealed class GenerativeRecommendRowsOutput
{
    /// <summary>Recommended item key values, best first.</summary>
    [ColumnName(GenerativeRecommendMappingFactory.ItemsOutputColumn)]
    public uint[] Items = Array.Empty<uint>();

    /// <summary>Their scores (sum of code log-probabilities).</summary>
    [ColumnName(GenerativeRecommendMappingFactory.ScoresOutputColumn)]
    public float[] Scores = Array.Empty<float>();

    /// <summary>The row item's score on the same scale, or NaN when the row has no known item.</summary>
    [ColumnName(GenerativeRecommendRowsMappingFactory.ScoreOutputColumn)]
    public float Score = float.NaN;
}

/// <summary>
/// Serves one interaction-row prediction: a row's own history when it brings a non-empty one (keys 0 or beyond the
/// model's items skipped), otherwise the user's training history, then trie-constrained beam search. A user key 0
/// with no history gets the model's prior. A separate contract, so zips saved by the other layouts load unchanged.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class GenerativeRecommendRowsMappingFactory : CustomMappingFactory<GenerativeRecommendRowsInput, GenerativeRecommendRowsOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.GenerativeRecommendRows.v1";

    internal const string StoredHistoryColumn = "__GenRecStoredHistory";
    internal const string ItemColumn = "__GenRecItem";
    internal const string ScoreOutputColumn = "__GenRecScore";

    /// <inheritdoc />
    public override Action<GenerativeRecommendRowsInput, GenerativeRecommendRowsOutput> GetMapping()
    {
        var carried = CarriedModel<GenerativeRecommenderModel>.ForComputeStep(GenerativeModelBlob.Load);
        return (input, output) =>
        {
            GenerativeRecommenderModel model = carried.Resolve(input.ModelId, input.Weights);
            var (items, scores, itemScores) = GenerativeRowServing.Serve(model, new[] { ToRequest(input) }, scoreRowItems: true);
            output.Items = items[0];
            output.Scores = scores[0];
            output.Score = itemScores[0];
        };
    }

    /// <summary>The row's own history when it brings a non-empty one, else the stored one; user key 0 = unknown user.</summary>
    internal static GenerativeServingRequest ToRequest(GenerativeRecommendRowsInput input)
    {
        bool ownHistory = input.History.Any(key => key != 0);
        return new GenerativeServingRequest(ownHistory ? input.History : input.StoredHistory, input.User == 0 ? -1 : (int)input.User - 1, input.Item);
    }
}
