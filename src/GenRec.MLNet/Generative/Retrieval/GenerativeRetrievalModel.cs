using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// A trained TokenRec-style generative retrieval model: the request's user code tokens and (up to
/// <see cref="GenerativeRetrievalOptions.MaxHistoryLength"/>) history-item code tokens are encoded into a vector in the
/// CF embedding space, and every item is ranked by its similarity (<see cref="GenerativeRetrievalOptions.Similarity"/>:
/// cosine, or dot product) to its fixed CF embedding — one matrix product per
/// batch, no beam search, so every recommendation is an existing item.
/// </summary>
/// <remarks>
/// <see cref="RecommendationRequest.UserIndex"/> selects the user's row of <see cref="UserCodes"/> (ignored when user
/// tokens are off); the history comes from the request, and with <c>excludeHistory</c> none of its items is returned.
/// Rebuild a model with <see cref="SaveWeights"/> and <see cref="Load"/>.
/// <para>Thread safety: recommending and encoding may run on any number of threads at once (the network is read-only
/// in eval mode and every call builds its own tensors). <see cref="Dispose"/> waits for calls in flight; later calls
/// throw <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class GenerativeRetrievalModel : IRecommender, IDisposable
{
    private readonly GenerativeRetrievalOptions _options;
    private readonly RetrievalEncoderNetwork _network;
    private readonly Tensor _scoringItems;
    private readonly RetrievalScorer _scorer;
    private readonly Persistence.ModelUseGate _gate = new("generative retrieval model");

    internal GenerativeRetrievalModel(GenerativeRetrievalOptions options, SemanticIdTable? userCodes, SemanticIdTable? itemCodes,
        RetrievalEncoderNetwork network, RetrievalScorer scorer, Tensor scoringItems, int cfDimension, Device device)
    {
        // Keep hyperparameters only: no progress sink or cancellation token from the training call.
        _options = options.Clone();
        _options.Progress = null;
        _options.CancellationToken = default;
        UserCodes = userCodes;
        ItemCodes = itemCodes;
        _network = network;
        _scorer = scorer;
        _scoringItems = scoringItems;
        CfDimension = cfDimension;
        Device = device;
        _network.eval();
    }

    /// <summary>A copy of the hyperparameters the model was built with.</summary>
    public GenerativeRetrievalOptions Options => _options.Clone();

    /// <summary>The users' codes (row = user index), or null when the model was built without them.</summary>
    public SemanticIdTable? UserCodes { get; }

    /// <summary>The items' codes (row = item index), or null when the model was built without them.</summary>
    public SemanticIdTable? ItemCodes { get; }

    /// <summary>Length of the CF embeddings the model ranks against.</summary>
    public int CfDimension { get; }

    /// <summary>The device the model computes on.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public int ItemCount => _scorer.ItemCount;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A user without codes (when user tokens are on) or a history item outside the catalog.</exception>
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) => Recommend(requests, k, excludeHistory, out _);

    /// <summary>As <see cref="Recommend(IReadOnlyList{RecommendationRequest}, int, bool)"/>, also returning each item's similarity (cosine or dot product).</summary>
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory, out float[][] scores)
    {
        using Persistence.ModelUseGate.Token use = _gate.EnterUse();
        return _scorer.Recommend(requests, k, excludeHistory, out scores);
    }

    /// <summary>
    /// The vectors the model retrieves with: one row per request in the CF space, row-major [requests × <see cref="CfDimension"/>],
    /// unnormalized (ranking uses their cosine or dot product with the CF item embeddings).
    /// </summary>
    public float[] EncodeUsers(IReadOnlyList<RecommendationRequest> requests)
    {
        using Persistence.ModelUseGate.Token use = _gate.EnterUse();
        return _scorer.EncodeToArray(requests);
    }

    /// <summary>The user-code decoder's vectors of <paramref name="users"/> (row-major), or null without the anchor; for tests and diagnostics.</summary>
    internal float[]? DecodeUserCodes(IReadOnlyList<int> users)
    {
        using Persistence.ModelUseGate.Token use = _gate.EnterUse();
        return _scorer.DecodeUserCodes(users);
    }

    /// <summary>The network weights (TorchSharp's module format); with the options, code tables and CF item embeddings they rebuild the model.</summary>
    public byte[] SaveWeights()
    {
        using Persistence.ModelUseGate.Token use = _gate.EnterUse();
        using var stream = new MemoryStream();
        _network.save(stream);
        return stream.ToArray();
    }

    /// <summary>Rebuilds a model from <see cref="SaveWeights"/> output and the inputs it was trained with.</summary>
    /// <param name="weights">Bytes from <see cref="SaveWeights"/>.</param>
    /// <param name="options">The hyperparameters used in training (architecture fields and UseUserTokens / UseHistoryTokens must match).</param>
    /// <param name="userCodes">User codes with the training table's codebook sizes; may cover more users than in training (new users encoded by the same tokenizer).</param>
    /// <param name="itemCodes">Item codes of the training catalog, one row per CF item embedding.</param>
    /// <param name="cfItemEmbeddings">The CF item embeddings ranked against, row-major [items × cfDimension].</param>
    /// <param name="cfDimension">Length of one CF embedding (the output width of the network).</param>
    /// <param name="mlContext">Supplies the GPU preference for <see cref="TorchTrainerOptions.Device"/>; null = a new context.</param>
    /// <exception cref="ArgumentException">Inputs that do not fit together, or weights saved by a different architecture.</exception>
    public static GenerativeRetrievalModel Load(byte[] weights, GenerativeRetrievalOptions options, SemanticIdTable? userCodes, SemanticIdTable? itemCodes,
        float[] cfItemEmbeddings, int cfDimension, MLContext? mlContext = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        if (weights.Length == 0)
        {
            throw new ArgumentException("The weights are empty.", nameof(weights));
        }

        options.Validate();
        int itemCount = RetrievalInputs.CheckEmbeddings(cfItemEmbeddings, cfDimension);
        RetrievalInputs.CheckCodes(userCodes, itemCodes, options, 0, itemCount);
        Device device = TorchEnvironment.ResolveDevice(mlContext ?? new MLContext(), options.Device);
        RetrievalPromptBuilder prompts = GenerativeRetrievalTrainer.CreatePrompts(options, userCodes, itemCodes);
        var network = new RetrievalEncoderNetwork(prompts, options, cfDimension);
        Tensor? items = null;
        try
        {
            try
            {
                using var stream = new MemoryStream(weights, writable: false);
                network.load(stream);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new ArgumentException(
                    "The weights could not be loaded into a network built from these options, code tables and cfDimension; were they saved by a model trained with the same ones?", nameof(weights), ex);
            }

            network.to(device);
            items = RetrievalInputs.ScoringItems(cfItemEmbeddings, itemCount, cfDimension, options.Similarity, device);
            var scorer = new RetrievalScorer(network, prompts, items, options.Similarity, userCodes?.ItemCount ?? 0, options.RecommendBatchSize, device);
            return new GenerativeRetrievalModel(options, userCodes, itemCodes, network, scorer, items, cfDimension, device);
        }
        catch
        {
            items?.Dispose();
            network.Dispose();
            throw;
        }
    }

    /// <summary>Frees the network once calls in flight on other threads have finished; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _gate.Close(() =>
    {
        _scoringItems.Dispose();
        _network.Dispose();
    });
}
