using GenRec.MLNet.Persistence;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Serves one prediction of a retrieval model trained on interaction rows: the row's own history when it brings a
/// non-empty one, otherwise the user's training history stored in the zip, then the same ranking as
/// <see cref="GenerativeRetrieveMappingFactory"/> (keys 0 or beyond the model's items skipped; with user tokens, a user
/// key 0 gets empty outputs). A separate contract, so zips saved with the history-row layout load unchanged.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class GenerativeRetrieveRowsMappingFactory : CustomMappingFactory<GenerativeRetrieveRowsInput, GenerativeRetrieveOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.GenerativeRetrieveRows.v1";

    internal const string StoredHistoryColumn = "__GenRecRetrievalStoredHistory";

    /// <inheritdoc />
    public override Action<GenerativeRetrieveRowsInput, GenerativeRetrieveOutput> GetMapping()
    {
        // Created here, right after the chain's WeightsCarrier, so this step pairs with that carrier's request step.
        var carried = CarriedModel<GenerativeRetrievalModel>.ForComputeStep(GenerativeRetrievalBlob.Load);
        return (input, output) =>
        {
            GenerativeRetrievalModel model = carried.Resolve(input.ModelId, input.Weights);
            bool ownHistory = input.History.Any(key => key != 0);
            GenerativeRetrieveMappingFactory.Serve(model, input.User, ownHistory ? input.History : input.StoredHistory, output);
        };
    }
}
