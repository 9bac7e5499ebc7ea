using GenRec.MLNet.Persistence;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// Serves one row of a saved SASRec: rebuilds the network from the carried blob on a process's first row (see
/// <see cref="WeightsCarrier"/>), then encodes the row's own history when it brings one with a known item, else the
/// user's stored training history, and ranks every item against it. Computing here instead of looking rankings up is
/// what lets a loaded zip recommend for a history it has never seen.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class SasRecRecommendMappingFactory : CustomMappingFactory<SasRecRecommendInput, SasRecRecommendOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.SasRecRecommend.v1";

    // Own names, not the generative stage's: both stages can sit in one pipeline, each dropping its columns at its end.
    internal const string UserColumn = "__GenRecSasRecUser";
    internal const string StoredHistoryColumn = "__GenRecSasRecStoredHistory";
    internal const string HistoryColumn = "__GenRecSasRecHistory";
    internal const string ItemsOutputColumn = "__GenRecSasRecItems";
    internal const string ScoresOutputColumn = "__GenRecSasRecScores";

    /// <inheritdoc />
    public override Action<SasRecRecommendInput, SasRecRecommendOutput> GetMapping()
    {
        // Built right after the chain's WeightsCarrier, so this step checks the zip's own weights once (see CarriedModel).
        var carried = CarriedModel<SasRecServingModel>.ForComputeStep(SasRecModelBlob.Load);
        return (input, output) =>
        {
            SasRecServingModel model = carried.Resolve(input.ModelId, input.Weights);
            (output.Items, output.Scores) = model.Recommend(input.History, input.StoredHistory);
        };
    }
}
