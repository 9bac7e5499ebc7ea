using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>One optimizer step's data: prompt tokens, and for every (prompt, positive) pair its positive and negatives.</summary>
/// <param name="Tokens">Row-major [Prompts × Length] prompt tokens, PAD = 0.</param>
/// <param name="Prompts">Number of prompts.</param>
/// <param name="Length">Tokens per prompt row.</param>
/// <param name="PairPrompt">For each pair, its prompt row.</param>
/// <param name="Positives">For each pair, its positive item.</param>
/// <param name="Negatives">Pair-major negatives [pairs × NegativesPerPositive].</param>
/// <param name="ExcludedLogits">
/// Flat indices pair × items + item of the softmax logits to leave out: each pair's user's other training items, when
/// <see cref="GenerativeRetrievalOptions.SoftmaxExcludesOtherKnownItems"/>; empty otherwise.
/// </param>
internal sealed record RetrievalBatch(long[] Tokens, int Prompts, int Length, long[] PairPrompt, long[] Positives, long[] Negatives, long[] ExcludedLogits);

/// <summary>
/// Feeds the retrieval network to the shared <see cref="TrainingLoop"/>. Each epoch, every user's (distinct) training
/// items are shuffled and cut into chunks of <see cref="GenerativeRetrievalOptions.PositivesPerPrompt"/> positives; a
/// chunk's prompt holds the user's tokens and up to MaxHistoryLength of the user's <em>other</em> training items (never
/// the positives themselves, which would teach the model to point at its own input; at test time the history is
/// excluded from the ranking anyway). Chunks are shuffled across users and packed into batches of about BatchSize pairs.
/// Negatives are drawn uniformly among items the user has not interacted with. Validation is the ValidationMetric (Recall@10 by default) with history
/// excluded.
/// </summary>
internal sealed class RetrievalTrainable : ITrainableModel<RetrievalBatch>
{
    // A user who has interacted with almost every item could make rejection sampling spin; after this many draws the
    // last draw is used even if it is a known item (a harmless, vanishingly rare label-noise case).
    private const int MaxNegativeDraws = 64;

    private readonly RetrievalEncoderNetwork _network;
    private readonly RetrievalPromptBuilder _prompts;
    private readonly RetrievalScorer _scorer;
    private readonly Tensor _scoringItems;
    private readonly int[][] _sets;
    private readonly HashSet<int>[] _interacted;
    private readonly IReadOnlyList<EvaluationCase>? _validation;
    private readonly GenerativeRetrievalOptions _options;
    private readonly Device _device;
    private readonly long _pairs;

    public RetrievalTrainable(RetrievalEncoderNetwork network, RetrievalPromptBuilder prompts, RetrievalScorer scorer, Tensor scoringItems,
        IReadOnlyList<int[]> trainSets, IReadOnlyList<EvaluationCase>? validation, GenerativeRetrievalOptions options, Device device)
    {
        _network = network;
        _prompts = prompts;
        _scorer = scorer;
        _scoringItems = scoringItems;
        _interacted = trainSets.Select(items => new HashSet<int>(items)).ToArray();
        _sets = _interacted.Select(set => set.Order().ToArray()).ToArray(); // distinct, in a fixed order so shuffles are reproducible
        _pairs = _sets.Sum(items => (long)items.Length);
        if (_pairs == 0)
        {
            throw new ArgumentException("No user has a training item: there is nothing to train on.", nameof(trainSets));
        }

        _validation = validation is { Count: > 0 } ? validation : null;
        _options = options;
        _device = device;
    }

    public nn.Module Module => _network;

    public int BatchesPerEpoch => (int)Math.Max(1, (_pairs + _options.BatchSize - 1) / _options.BatchSize);

    public IEnumerable<RetrievalBatch> EnumerateBatches(int epoch, Random random)
    {
        int perPrompt = _options.PositivesPerPrompt;
        var shuffled = new int[_sets.Length][];
        var chunks = new List<(int User, int Start, int Count)>();
        for (int user = 0; user < _sets.Length; user++)
        {
            int[] items = (int[])_sets[user].Clone();
            random.Shuffle(items);
            shuffled[user] = items;
            for (int start = 0; start < items.Length; start += perPrompt)
            {
                chunks.Add((user, start, Math.Min(perPrompt, items.Length - start)));
            }
        }

        var order = chunks.ToArray();
        random.Shuffle(order);
        var batch = new List<(int User, int Start, int Count)>();
        int pairs = 0;
        foreach (var chunk in order)
        {
            batch.Add(chunk);
            pairs += chunk.Count;
            if (pairs >= _options.BatchSize)
            {
                yield return Build(batch, shuffled, random);
                batch.Clear();
                pairs = 0;
            }
        }

        if (batch.Count > 0)
        {
            yield return Build(batch, shuffled, random);
        }
    }

    public Tensor ComputeLoss(RetrievalBatch batch)
    {
        Tensor tokens = tensor(batch.Tokens, new long[] { batch.Prompts, batch.Length }, device: _device);
        Tensor vectors = _network.forward(tokens);
        if (_options.Loss == RetrievalLoss.Softmax)
        {
            Tensor? excluded = batch.ExcludedLogits.Length > 0 ? tensor(batch.ExcludedLogits, device: _device) : null;
            return RetrievalPairLoss.ComputeSoftmax(vectors, tensor(batch.PairPrompt, device: _device), tensor(batch.Positives, device: _device), _scoringItems, _options.Similarity, _options.SoftmaxTemperature, excluded);
        }

        return RetrievalPairLoss.Compute(
            vectors,
            tensor(batch.PairPrompt, device: _device),
            tensor(batch.Positives, device: _device),
            tensor(batch.Negatives, device: _device),
            _options.NegativesPerPositive,
            _scoringItems,
            _options.Margin);
    }

    public int CountExamples(RetrievalBatch batch) => batch.Positives.Length;

    /// <summary>With the user-code anchor the untrained model is the decoded users (the correction starts at zero): a candidate in its own right.</summary>
    public bool ValidateBeforeTraining => _network.UserCodeDecoder is not null;

    public double? Validate() =>
        _validation is null
            ? null
            : ValidationScore.Compute(_scorer, _validation, _options, excludeHistory: true, _options.RecommendBatchSize);

    private RetrievalBatch Build(List<(int User, int Start, int Count)> chunks, int[][] shuffled, Random random)
    {
        var users = new int[chunks.Count];
        var histories = new int[chunks.Count][];
        var pairPrompt = new List<long>();
        var positives = new List<long>();
        var negatives = new List<long>();
        var excluded = new List<long>();
        bool exclude = _options.Loss == RetrievalLoss.Softmax && _options.SoftmaxExcludesOtherKnownItems;
        long itemCount = _scorer.ItemCount;
        for (int p = 0; p < chunks.Count; p++)
        {
            var (user, start, count) = chunks[p];
            int[] items = shuffled[user];
            users[p] = user;

            // The items after the chunk (wrapping around) are a random subset of the user's other items, because the
            // user's items were shuffled for this epoch; they never include the chunk's positives.
            int historyCount = Math.Min(_prompts.MaxHistoryLength, items.Length - count);
            var history = new int[historyCount];
            for (int j = 0; j < historyCount; j++)
            {
                history[j] = items[(start + count + j) % items.Length];
            }

            histories[p] = history;
            for (int j = start; j < start + count; j++)
            {
                if (exclude)
                {
                    // The pair's row of logits is positives.Count (before the Add below); every other item of the
                    // user is left out of its softmax.
                    long row = positives.Count * itemCount;
                    foreach (int other in items)
                    {
                        if (other != items[j])
                        {
                            excluded.Add(row + other);
                        }
                    }
                }

                pairPrompt.Add(p);
                positives.Add(items[j]);
                for (int n = 0; n < _options.NegativesPerPositive; n++)
                {
                    negatives.Add(SampleNegative(user, random));
                }
            }
        }

        long[] tokens = _prompts.Build(users, histories, out int length);
        return new RetrievalBatch(tokens, chunks.Count, length, pairPrompt.ToArray(), positives.ToArray(), negatives.ToArray(), excluded.ToArray());
    }

    private int SampleNegative(int user, Random random)
    {
        int itemCount = _scorer.ItemCount;
        int item = random.Next(itemCount);
        for (int draw = 1; draw < MaxNegativeDraws && _interacted[user].Contains(item); draw++)
        {
            item = random.Next(itemCount);
        }

        return item;
    }
}
