using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Ranks all items for batches of requests: encode the prompts, then one matrix product against the CF item embeddings
/// (cosine for every item at once when both sides are normalized, <see cref="RetrievalSimilarity.Cosine"/>; the raw dot
/// product otherwise), then batched top-K with the history masked out. Used by the
/// trained model and by validation during training. Callers keep the network in eval mode.
/// </summary>
internal sealed class RetrievalScorer : IRecommender
{
    private readonly RetrievalEncoderNetwork _network;
    private readonly RetrievalPromptBuilder _prompts;
    private readonly Tensor _scoringItems;
    private readonly RetrievalSimilarity _similarity;
    private readonly int _userCount;
    private readonly int _batchSize;
    private readonly Device _device;

    /// <param name="network">The retrieval encoder (kept in eval mode by the caller).</param>
    /// <param name="prompts">Builds the prompt tokens.</param>
    /// <param name="scoringItems">CF item embeddings [items, D] as <see cref="RetrievalInputs.ScoringItems"/> prepared them for <paramref name="similarity"/>.</param>
    /// <param name="similarity">Cosine (requests are normalized too) or dot product.</param>
    /// <param name="userCount">Users with codes (request user indices must be below it); ignored when the prompt has no user tokens.</param>
    /// <param name="batchSize">Requests encoded and scored together.</param>
    /// <param name="device">Device of the network and the item matrix.</param>
    public RetrievalScorer(RetrievalEncoderNetwork network, RetrievalPromptBuilder prompts, Tensor scoringItems, RetrievalSimilarity similarity, int userCount, int batchSize, Device device)
    {
        _network = network;
        _prompts = prompts;
        _scoringItems = scoringItems;
        _similarity = similarity;
        _userCount = userCount;
        _batchSize = batchSize;
        _device = device;
        ItemCount = (int)scoringItems.shape[0];
    }

    public int ItemCount { get; }

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) => Recommend(requests, k, excludeHistory, out _);

    /// <summary>Top-<paramref name="k"/> items per request by the model's similarity, best first, with their similarities.</summary>
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory, out float[][] scores)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        Check(requests);
        var result = new int[requests.Count][];
        scores = new float[requests.Count][];
        using var noGrad = no_grad();
        for (int start = 0; start < requests.Count; start += _batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(_batchSize, requests.Count - start);
            var chunk = new RecommendationRequest[count];
            var exclude = new int[count][];
            for (int i = 0; i < count; i++)
            {
                chunk[i] = requests[start + i];
                exclude[i] = chunk[i].History;
            }

            Tensor users = RetrievalInputs.ScoringRequests(Encode(chunk), _similarity);
            Tensor similarity = users.mm(_scoringItems.t());
            int[][] top = TopKSelection.Select(similarity, k, excludeHistory ? exclude : null, out float[][] topScores);
            top.CopyTo(result, start);
            topScores.CopyTo(scores, start);
        }

        return result;
    }

    /// <summary>The unnormalized CF-space vectors of the requests' prompts, row-major [requests × D].</summary>
    public float[] EncodeToArray(IReadOnlyList<RecommendationRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        Check(requests);
        var rows = new List<float>();
        using var noGrad = no_grad();
        for (int start = 0; start < requests.Count; start += _batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(_batchSize, requests.Count - start);
            var chunk = new RecommendationRequest[count];
            for (int i = 0; i < count; i++)
            {
                chunk[i] = requests[start + i];
            }

            rows.AddRange(Encode(chunk).cpu().data<float>().ToArray());
        }

        return rows.ToArray();
    }

    /// <summary>
    /// What the user-code decoder alone gives each user (the frozen start the model's correction is added to),
    /// row-major [users × D]; null when the model has no anchor (<see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/>).
    /// </summary>
    public float[]? DecodeUserCodes(IReadOnlyList<int> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (_network.UserCodeDecoder is not { } decoder)
        {
            return null;
        }

        Check(users.Select(user => new RecommendationRequest(user, Array.Empty<int>())).ToArray());
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long[] tokens = _prompts.BuildUserOnly(users, out int length);
        return decoder.forward(tensor(tokens, new long[] { users.Count, length }, device: _device)).cpu().data<float>().ToArray();
    }

    /// <summary>Prompt vectors [requests, D] of one chunk; the caller owns the scope and no_grad.</summary>
    private Tensor Encode(IReadOnlyList<RecommendationRequest> chunk)
    {
        var users = new int[chunk.Count];
        var histories = new int[chunk.Count][];
        for (int i = 0; i < chunk.Count; i++)
        {
            users[i] = chunk[i].UserIndex;
            histories[i] = _prompts.InferenceHistory(chunk[i].History);
        }

        long[] tokens = _prompts.Build(users, histories, out int length);
        return _network.forward(tensor(tokens, new long[] { chunk.Count, length }, device: _device));
    }

    private void Check(IReadOnlyList<RecommendationRequest> requests)
    {
        for (int i = 0; i < requests.Count; i++)
        {
            RecommendationRequest request = requests[i];
            if (_prompts.UserTokens > 0 && (uint)request.UserIndex >= (uint)_userCount)
            {
                throw new ArgumentOutOfRangeException(nameof(requests),
                    $"Request {i} is for user {request.UserIndex}, but the user code table covers users 0..{_userCount - 1}; encode new users with the user tokenizer and load the model with the extended table.");
            }

            int[] history = request.History ?? throw new ArgumentException($"Request {i} has a null history; use an empty array.", nameof(requests));
            foreach (int item in history)
            {
                if ((uint)item >= (uint)ItemCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(requests), $"Request {i} has history item {item}, outside 0..{ItemCount - 1}.");
                }
            }
        }
    }
}
