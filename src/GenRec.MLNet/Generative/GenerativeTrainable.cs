using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Decoding;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Trains a <see cref="GenerativeNetwork"/> through the shared <see cref="TrainingLoop"/>. Batches are built
/// from length-sorted buckets (shuffle, cut into buckets of 32 batches, sort each bucket by history length,
/// cut into batches, shuffle the batch order), so padding stays small, and are filled up to
/// <see cref="TorchTrainerOptions.BatchSize"/> predicted items (one per prefix, or every position of a
/// decoder-only window). Validation is the options' ValidationMetric (Recall@10 by default) of constrained beam search on the validation cases.
/// </summary>
internal sealed class GenerativeTrainable : ITrainableModel<int[]>
{
    private const int BucketBatches = 32;
    private readonly GenerativeNetwork _network;
    private readonly ItemTokenTable _table;
    private readonly GenerativeExamples _examples;
    private readonly GenerativeRecommenderOptions _options;
    private readonly GenerativeDecoder _decoder;
    private readonly IReadOnlyList<EvaluationCase>? _validation;
    private readonly Device _device;

    public GenerativeTrainable(GenerativeNetwork network, ItemTokenTable table, GenerativeExamples examples, GenerativeRecommenderOptions options,
        GenerativeDecoder decoder, IReadOnlyList<EvaluationCase>? validation, Device device)
    {
        if (examples.Count == 0)
        {
            throw new InvalidOperationException("The generative recommender needs at least one user with two or more training items.");
        }

        _network = network;
        _table = table;
        _examples = examples;
        _options = options;
        _decoder = decoder;
        _validation = validation is { Count: > 0 } ? validation : null;
        _device = device;
    }

    public nn.Module Module => _network;

    /// <summary>Planned batches per epoch (exact for prefixes; for windows, items / BatchSize rounded up, a close estimate).</summary>
    public int BatchesPerEpoch => (int)Math.Max(1, (_examples.TargetCount + _options.BatchSize - 1) / _options.BatchSize);

    public IEnumerable<int[]> EnumerateBatches(int epoch, Random random)
    {
        var order = new int[_examples.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        int bucketTargets = _options.BatchSize * BucketBatches;
        var batches = new List<int[]>();
        var batch = new List<int>();
        int start = 0;
        while (start < order.Length)
        {
            // A bucket holds about BucketBatches batches' worth of predicted items.
            int end = start;
            long targets = 0;
            while (end < order.Length && targets < bucketTargets)
            {
                targets += _examples.Targets(order[end++]);
            }

            Array.Sort(order, start, end - start, Comparer<int>.Create((a, b) => _examples.Length(a).CompareTo(_examples.Length(b))));
            int batchTargets = 0;
            for (int i = start; i < end; i++)
            {
                batch.Add(order[i]);
                batchTargets += _examples.Targets(order[i]);
                if (batchTargets >= _options.BatchSize)
                {
                    batches.Add(batch.ToArray());
                    batch.Clear();
                    batchTargets = 0;
                }
            }

            if (batch.Count > 0)
            {
                batches.Add(batch.ToArray());
                batch.Clear();
            }

            start = end;
        }

        int[][] shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>
    /// Sequence positions (examples × history tokens) one training pass holds at most; a batch over more is split into
    /// passes (<see cref="SplitIntoPasses"/>). 256 prefixes of 80 tokens in one pass cost 4–9× more per example than 16–64
    /// per pass (docs/benchmarks.md, train-batching).
    /// </summary>
    internal int TokensPerPass { get; init; } = 4096;

    /// <summary>Consecutive examples (batches are length-sorted) up to <see cref="TokensPerPass"/> positions each; shares by predicted items, as the loss averages.</summary>
    public IReadOnlyList<(int[] Part, double Share)> SplitIntoPasses(int[] batch) =>
        BatchPasses.Split(batch, example => _network.Vocabulary.HistoryTokens(_examples.Length(example), _options.InputMode), TokensPerPass, CountExamples);

    public int CountExamples(int[] batch)
    {
        int targets = 0;
        foreach (int example in batch)
        {
            targets += _examples.Targets(example);
        }

        return targets;
    }

    public Tensor ComputeLoss(int[] batch)
    {
        var slices = new HistorySlice[batch.Length];
        for (int b = 0; b < batch.Length; b++)
        {
            slices[b] = _examples.Slice(batch[b]);
        }

        HistoryInputs inputs = HistoryInputs.Build(slices, _network.Vocabulary, _device, withNextItems: _examples.Windows);
        Tensor? targets = null;
        if (!_examples.Windows)
        {
            var next = new long[batch.Length];
            for (int b = 0; b < batch.Length; b++)
            {
                next[b] = _examples.Target(batch[b]) + 1;
            }

            targets = tensor(next, device: _device);
        }

        return _network.ComputeLoss(inputs, _table, targets, _options.Temperature);
    }

    public double? Validate() =>
        _validation is null
            ? null
            : ValidationScore.Compute(_decoder, _validation, _options, _options.ExcludeHistoryFromRecommendations, _options.DecodeBatchSize);
}
