using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Serves one row of generative retrieval: rebuilds the model from the carried weights on a process's first row (see
/// <see cref="WeightsCarrier"/>), encodes the row's prompt and returns the top items by cosine similarity.
/// </summary>
/// <remarks>
/// History keys that are 0 (unseen by the key mapping) or beyond the model's items are skipped. A model with user
/// tokens returns empty vectors for a user key that is 0 or beyond its user code table: it has no codes to put in the
/// prompt, and guessing a user would silently recommend someone else's items.
/// </remarks>
[CustomMappingFactoryAttribute(Contract)]
public sealed class GenerativeRetrieveMappingFactory : CustomMappingFactory<GenerativeRetrieveInput, GenerativeRetrieveOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.GenerativeRetrieve.v1";

    internal const string HistoryColumn = "__GenRecRetrievalHistory";
    internal const string UserColumn = "__GenRecRetrievalUser";
    internal const string ItemsOutputColumn = "__GenRecRetrievalItems";
    internal const string ScoresOutputColumn = "__GenRecRetrievalScores";

    /// <inheritdoc />
    public override Action<GenerativeRetrieveInput, GenerativeRetrieveOutput> GetMapping()
    {
        var carried = CarriedModel<GenerativeRetrievalModel>.ForComputeStep(GenerativeRetrievalBlob.Load);
        return (input, output) => Serve(carried.Resolve(input.ModelId, input.Weights), input.User, input.History, output);
    }

    /// <summary>Ranks for one request given as raw key values (shared with the interaction-row compute step).</summary>
    internal static void Serve(GenerativeRetrievalModel model, uint userKey, uint[] historyKeys, GenerativeRetrieveOutput output)
    {
        GenerativeRetrievalOptions options = model.Options;
        int user = -1; // ignored by a model without user tokens
        if (options.UseUserTokens)
        {
            int userCount = model.UserCodes?.ItemCount ?? 0;
            if (userKey == 0 || userKey > userCount)
            {
                output.Items = Array.Empty<uint>();
                output.Scores = Array.Empty<float>();
                return;
            }

            user = (int)userKey - 1;
        }

        int[] history = historyKeys.Where(key => key >= 1 && key <= model.ItemCount).Select(key => (int)key - 1).ToArray();
        var request = new RecommendationRequest(user, history);
        // No lock: the model serves any number of threads at once (rows of parallel cursors, one engine per thread).
        int[][] items = model.Recommend(new[] { request }, options.TopK, options.ExcludeHistoryFromRecommendations, out float[][] scores);

        output.Items = items[0].Select(item => (uint)item + 1).ToArray();
        output.Scores = scores[0];
    }
}
