using GenRec.MLNet.Nn;
using GenRec.MLNet.Collaborative.Models;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// Trains SASRec: every position of a user's (right-padded) training sequence predicts the next item.
/// Only real positions are scored, so the full-softmax cost follows the number of interactions, not
/// batch × max length; batches are built from length-sorted buckets to keep padding small.
/// </summary>
internal sealed class SequenceTrainable : ITrainableModel<int[]>
{
    private const int BucketBatches = 32;
    private readonly SasRecNetwork _network;
    private readonly CollaborativeTrainingData _data;
    private readonly CollaborativeEmbeddingOptions _options;
    private readonly Device _device;
    private readonly Func<IRecommender> _recommender;
    private readonly int[] _trainableUsers;

    public SequenceTrainable(SasRecNetwork network, CollaborativeTrainingData data, CollaborativeEmbeddingOptions options, Device device, Func<IRecommender> recommender)
    {
        _network = network;
        _data = data;
        _options = options;
        _device = device;
        _recommender = recommender;
        _trainableUsers = Enumerable.Range(0, data.UserCount).Where(u => data.TrainSequences[u].Length >= 2).ToArray();
        if (_trainableUsers.Length == 0)
        {
            throw new InvalidOperationException("SASRec needs at least one user with two or more training interactions.");
        }
    }

    public nn.Module Module => _network;

    public int BatchesPerEpoch => (_trainableUsers.Length + _options.BatchSize - 1) / _options.BatchSize;

    public IEnumerable<int[]> EnumerateBatches(int epoch, Random random)
    {
        int[] users = (int[])_trainableUsers.Clone();
        random.Shuffle(users);
        int bucketSize = _options.BatchSize * BucketBatches;
        var batches = new List<int[]>();
        for (int start = 0; start < users.Length; start += bucketSize)
        {
            int[] bucket = users.Skip(start).Take(bucketSize).OrderBy(u => _data.TrainSequences[u].Length).ToArray();
            for (int b = 0; b < bucket.Length; b += _options.BatchSize)
            {
                batches.Add(bucket.Skip(b).Take(_options.BatchSize).ToArray());
            }
        }

        int[][] order = batches.ToArray();
        random.Shuffle(order);
        return order;
    }

    /// <summary>
    /// Scored positions × items one training pass holds at most (the full-softmax logits and their gradient dominate a
    /// SASRec step); a batch over more is split into passes (<see cref="SplitIntoPasses"/>).
    /// </summary>
    internal long LogitsPerPass { get; init; } = 4L << 20;

    /// <summary>Consecutive users up to <see cref="LogitsPerPass"/> logits (padded positions × items) each; shares by scored positions, as the loss averages.</summary>
    public IReadOnlyList<(int[] Part, double Share)> SplitIntoPasses(int[] batch) =>
        BatchPasses.Split(batch, user => Math.Min(_data.TrainSequences[user].Length - 1, _options.MaxHistoryLength),
            Math.Max(1, LogitsPerPass / Math.Max(1, _data.ItemCount)), CountExamples);

    public int CountExamples(int[] batch) => batch.Sum(u => Math.Min(_data.TrainSequences[u].Length - 1, _options.MaxHistoryLength));

    public Tensor ComputeLoss(int[] users)
    {
        int maxLength = _options.MaxHistoryLength;
        int time = users.Max(u => Math.Min(_data.TrainSequences[u].Length - 1, maxLength));
        var inputs = new long[users.Length * time];
        var targets = new long[users.Length * time];
        for (int b = 0; b < users.Length; b++)
        {
            int[] s = _data.TrainSequences[users[b]];
            int length = Math.Min(s.Length - 1, maxLength);
            int offset = s.Length - 1 - length; // keep the most recent window
            for (int t = 0; t < length; t++)
            {
                inputs[b * time + t] = s[offset + t] + 1;
                targets[b * time + t] = s[offset + t + 1] + 1;
            }
        }

        Tensor tokens = tensor(inputs, device: _device).view(users.Length, time);
        Tensor next = tensor(targets, device: _device);
        Tensor hidden = _network.forward(tokens).view(-1, _options.Dimension);
        Tensor real = next.nonzero().squeeze(1);
        Tensor h = hidden.index_select(0, real);
        Tensor positives = next.index_select(0, real).Minus(1L);
        Tensor items = _network.ItemEmbeddings;
        if (_options.Loss == CollaborativeLoss.CrossEntropy)
        {
            return nn.functional.cross_entropy(h.matmul(items.t()), positives);
        }

        Tensor negatives = randint(0, _data.ItemCount, new long[] { h.shape[0], _options.Negatives }, dtype: ScalarType.Int64, device: _device);
        Tensor positiveScore = (h * items.index_select(0, positives)).sum(1, keepdim: true);
        Tensor negativeScore = (h.unsqueeze(1) * items.index_select(0, negatives.view(-1)).view(h.shape[0], _options.Negatives, -1)).sum(2);
        return -nn.functional.logsigmoid(positiveScore - negativeScore).mean();
    }

    public double? Validate()
    {
        if (_data.ValidationCases is not { Count: > 0 } cases)
        {
            return null;
        }

        return ValidationScore.Compute(_recommender(), cases, _options, _options.ExcludeHistoryFromRecommendations, batchSize: 512);
    }
}
