using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Nn;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Decoding;

/// <summary>
/// Turns requests into recommendations with a (training or trained) network: batches users, caps histories to
/// the model's window, runs <see cref="ConstrainedBeamSearch"/>, and collects items from the beams in score
/// order. Used for validation inside the training loop and by <see cref="GenerativeRecommenderModel"/>.
/// </summary>
internal sealed class GenerativeDecoder : IRecommender
{
    private readonly GenerativeNetwork _network;
    private readonly ItemTokenTable _table;
    private readonly GenerativeRecommenderOptions _options;
    private readonly Device _device;

    /// <summary>Sequence positions (requests × tokens) one decoding pass handles at most; see <see cref="BatchEnd"/>.</summary>
    internal const int TokensPerBatch = 2048;

    public GenerativeDecoder(GenerativeNetwork network, ItemTokenTable table, SemanticIdTrie trie, GenerativeRecommenderOptions options, Device device, Func<int> itemCount)
    {
        _network = network;
        _table = table;
        Trie = trie;
        _options = options;
        _device = device;
        ItemCountSource = itemCount;
    }

    public SemanticIdTrie Trie { get; }

    /// <summary>Encoder-decoder: reuse decoder keys/values across steps (default) or recompute the decoded prefix.</summary>
    public bool UseCache { get; set; } = true;

    public int ItemCount => ItemCountSource();

    private Func<int> ItemCountSource { get; }

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) =>
        Recommend(requests, k, excludeHistory, out _);

    /// <summary>
    /// Up to <paramref name="k"/> items per request, best first, with their beam scores. Decodes
    /// max(BeamSize, k) beams; items sharing an ID follow the trie's leaf order with the same score. With
    /// <paramref name="excludeHistory"/> history items are skipped, and a request left with fewer than k items (its
    /// history took the beams) is decoded again with k + its distinct history items more beams, so it gets k items
    /// whenever the catalog has k outside its history (within <see cref="Persistence.ModelFileLimits.MaxBeams"/> beams).
    /// </summary>
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory, out float[][] scores)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int beams = Math.Max(_options.BeamSize, k);
        DecodedBeam[][] decoded = Decode(requests, beams, constrained: true);
        var items = new int[requests.Count][];
        scores = new float[requests.Count][];
        var shortRequests = new List<(int Request, HashSet<int> History)>();
        for (int r = 0; r < requests.Count; r++)
        {
            HashSet<int>? history = excludeHistory && requests[r].History is { Length: > 0 } h ? new HashSet<int>(h) : null;
            (items[r], scores[r]) = Collect(decoded[r], k, history);
            if (items[r].Length < k && history is not null)
            {
                shortRequests.Add((r, history));
            }
        }

        // The refill: one wider search per short request (rare: a long history among a few beams), each wide enough
        // that its history cannot take all the beams.
        foreach (var (r, history) in shortRequests)
        {
            int wider = Math.Min(Math.Min(beams + history.Count, ItemCount), Persistence.ModelFileLimits.MaxBeams);
            if (wider > beams)
            {
                DecodedBeam[] again = Decode(new[] { requests[r] }, wider, constrained: true)[0];
                (items[r], scores[r]) = Collect(again, k, history);
            }
        }

        return items;
    }

    /// <summary>The first k items of the beams (best first), history items skipped; each carries its beam's score.</summary>
    private (int[] Items, float[] Scores) Collect(DecodedBeam[] beams, int k, HashSet<int>? history)
    {
        var chosen = new List<int>(k);
        var chosenScores = new List<float>(k);
        foreach (DecodedBeam beam in beams)
        {
            foreach (int item in Trie.ItemsAt(beam.Leaf))
            {
                if (chosen.Count < k && (history is null || !history.Contains(item)))
                {
                    chosen.Add(item);
                    chosenScores.Add(beam.Score);
                }
            }

            if (chosen.Count == k)
            {
                break;
            }
        }

        return (chosen.ToArray(), chosenScores.ToArray());
    }

    /// <summary>
    /// The score of one given item per request, on the same scale as the beam scores: the sum over levels of
    /// log p(code | history, earlier codes), teacher-forced along the item's own ID (what beam search would give
    /// that ID if it reached it). One batched pass per <see cref="GenerativeRecommenderOptions.DecodeBatchSize"/> requests.
    /// </summary>
    public float[] ScoreItems(IReadOnlyList<RecommendationRequest> requests, IReadOnlyList<int> items, SemanticIdTable codes)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count != requests.Count)
        {
            throw new ArgumentException($"{items.Count} items for {requests.Count} requests; give one item per request.", nameof(items));
        }

        var result = new float[requests.Count];
        var slices = new List<HistorySlice>(_options.DecodeBatchSize);
        GenerativeVocabulary vocabulary = _network.Vocabulary;
        using var noGrad = no_grad();
        for (int start = 0, end; start < requests.Count; start = end)
        {
            using var scope = NewDisposeScope();
            end = BatchEnd(start, 1, position => requests[position].History?.Length ?? 0, requests.Count);
            int rows = end - start;
            slices.Clear();
            for (int r = start; r < end; r++)
            {
                int[] history = requests[r].History ?? Array.Empty<int>();
                int length = Math.Min(history.Length, _options.MaxHistoryLength);
                slices.Add(new HistorySlice(requests[r].UserIndex, history, history.Length - length, length));
            }

            HistoryInputs inputs = HistoryInputs.Build(slices, vocabulary, _device, withNextItems: false);
            using DecodingState state = _network.StartDecoding(inputs, _table, UseCache);
            Tensor total = zeros(rows, device: _device);
            Tensor sameRows = TensorArithmetic.Range(rows, _device);
            for (int level = 0; level < vocabulary.Levels; level++)
            {
                var chosen = new long[rows];
                var tokens = new long[rows];
                for (int r = 0; r < rows; r++)
                {
                    int code = codes[items[start + r]][level];
                    chosen[r] = code;
                    tokens[r] = vocabulary.CodeToken(level, code);
                }

                Tensor logProbs = _network.NextLogProbs(state, level);
                total = total.Plus(logProbs.gather(1, tensor(chosen, device: _device).unsqueeze(1)).squeeze(1));
                if (level + 1 < vocabulary.Levels)
                {
                    _network.Advance(state, sameRows, tensor(tokens, device: _device), 1);
                }
            }

            total.cpu().data<float>().CopyTo(result, start);
        }

        return result;
    }

    /// <summary>The best <paramref name="beamSize"/> IDs per request (constrained to the trie or not), best first.</summary>
    public DecodedBeam[][] Decode(IReadOnlyList<RecommendationRequest> requests, int beamSize, bool constrained)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(beamSize, 1);
        int itemCount = ItemCount;
        var result = new DecodedBeam[requests.Count][];
        var slices = new List<HistorySlice>(_options.DecodeBatchSize);
        // Batches of similar history lengths: histories are padded to the longest in their batch, and a batch that mixes
        // a 2-item history with a 20-item one pays for 20 items on both. Each request's beams do not depend on its batch.
        int[] order = Enumerable.Range(0, requests.Count)
            .OrderBy(r => Math.Min(requests[r].History?.Length ?? 0, _options.MaxHistoryLength))
            .ToArray();
        using var noGrad = no_grad();
        for (int start = 0, end; start < requests.Count; start = end)
        {
            using var scope = NewDisposeScope();
            end = BatchEnd(start, beamSize, position => requests[order[position]].History?.Length ?? 0, requests.Count);
            slices.Clear();
            for (int position = start; position < end; position++)
            {
                int r = order[position];
                int[] history = requests[r].History ?? Array.Empty<int>();
                int length = Math.Min(history.Length, _options.MaxHistoryLength);
                for (int i = history.Length - length; i < history.Length; i++)
                {
                    if ((uint)history[i] >= (uint)itemCount)
                    {
                        throw new ArgumentOutOfRangeException(nameof(requests), $"Request {r} has history item {history[i]}, outside 0..{itemCount - 1}.");
                    }
                }

                slices.Add(new HistorySlice(requests[r].UserIndex, history, history.Length - length, length));
            }

            HistoryInputs inputs = HistoryInputs.Build(slices, _network.Vocabulary, _device, withNextItems: false);
            DecodedBeam[][] batch = ConstrainedBeamSearch.Run(_network, _table, inputs, constrained ? Trie : null, beamSize, UseCache);
            for (int i = 0; i < batch.Length; i++)
            {
                result[order[start + i]] = batch[i];
            }
        }

        return result;
    }

    /// <summary>
    /// Where the batch that starts at <paramref name="start"/> ends: at most <see cref="GenerativeRecommenderOptions.DecodeBatchSize"/>
    /// requests, and no more than fit in <see cref="TokensPerBatch"/> sequence positions (the batch's longest history in
    /// tokens, or its beam rows when those are more, times its requests). The token cap is what keeps a batch fast: the
    /// network's intermediates (e.g. the feed-forward layer's 1,024 floats per token) stay in the processor's caches up to
    /// a few thousand positions, and past that every layer streams them through memory. Measured with one torch thread:
    /// 128 users of 80-token histories in one pass cost about twice as much per user as 8–32 users per pass
    /// (docs/benchmarks.md, decode-batching).
    /// </summary>
    private int BatchEnd(int start, int rowsPerRequest, Func<int, int> historyLength, int count) =>
        BatchPasses.End(start, Math.Min(count, start + _options.DecodeBatchSize),
            position => Math.Max(rowsPerRequest, _network.Vocabulary.HistoryTokens(Math.Min(historyLength(position), _options.MaxHistoryLength), _options.InputMode)),
            TokensPerBatch);
}
