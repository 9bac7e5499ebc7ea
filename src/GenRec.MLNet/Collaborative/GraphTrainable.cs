using GenRec.MLNet.Nn;
using GenRec.MLNet.Collaborative.Models;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// Trains matrix factorization and LightGCN on shuffled (user, positive item) pairs, with BPR over sampled
/// negatives the user has not interacted with, or a full softmax over all items.
/// </summary>
internal sealed class GraphTrainable : ITrainableModel<int[]>
{
    private readonly GraphEmbeddingNetwork _network;
    private readonly CollaborativeTrainingData _data;
    private readonly CollaborativeEmbeddingOptions _options;
    private readonly Device _device;
    private readonly Func<IRecommender> _recommender;
    private readonly int[] _pairUsers;
    private readonly int[] _pairItems;
    private readonly HashSet<long> _positives;

    public GraphTrainable(GraphEmbeddingNetwork network, CollaborativeTrainingData data, CollaborativeEmbeddingOptions options, Device device, Func<IRecommender> recommender)
    {
        _network = network;
        _data = data;
        _options = options;
        _device = device;
        _recommender = recommender;
        var users = new List<int>();
        var items = new List<int>();
        _positives = new HashSet<long>();
        for (int u = 0; u < data.UserCount; u++)
        {
            foreach (int i in data.TrainSequences[u])
            {
                if (_positives.Add(Key(u, i)))
                {
                    users.Add(u);
                    items.Add(i);
                }
            }
        }

        _pairUsers = users.ToArray();
        _pairItems = items.ToArray();
        network.SetGraph(_pairUsers, _pairItems, device);
    }

    public nn.Module Module => _network;

    public int BatchesPerEpoch => (_pairUsers.Length + _options.BatchSize - 1) / _options.BatchSize;

    public IEnumerable<int[]> EnumerateBatches(int epoch, Random random)
    {
        int[] order = Enumerable.Range(0, _pairUsers.Length).ToArray();
        random.Shuffle(order);
        for (int start = 0; start < order.Length; start += _options.BatchSize)
        {
            int[] pairs = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start)).ToArray();
            if (_options.Loss == CollaborativeLoss.Bpr)
            {
                // Negatives are drawn here (not in ComputeLoss) so a resumed epoch replays the same batches.
                var batch = new int[pairs.Length * (1 + _options.Negatives)];
                pairs.CopyTo(batch, 0);
                for (int p = 0; p < pairs.Length; p++)
                {
                    for (int n = 0; n < _options.Negatives; n++)
                    {
                        batch[pairs.Length + p * _options.Negatives + n] = SampleNegative(_pairUsers[pairs[p]], random);
                    }
                }

                yield return batch;
            }
            else
            {
                yield return pairs;
            }
        }
    }

    public int CountExamples(int[] batch) => _options.Loss == CollaborativeLoss.Bpr ? batch.Length / (1 + _options.Negatives) : batch.Length;

    public Tensor ComputeLoss(int[] batch)
    {
        int pairCount = CountExamples(batch);
        var users = new long[pairCount];
        var items = new long[pairCount];
        for (int p = 0; p < pairCount; p++)
        {
            users[p] = _pairUsers[batch[p]];
            items[p] = _pairItems[batch[p]];
        }

        Tensor userIndex = tensor(users, device: _device);
        Tensor itemIndex = tensor(items, device: _device);
        (Tensor allUsers, Tensor allItems) = _network.Propagate();
        Tensor u = allUsers.index_select(0, userIndex);
        Tensor regularization = _network.UserEgo.index_select(0, userIndex).Squared().sum().Plus(_network.ItemEgo.index_select(0, itemIndex).Squared().sum());
        Tensor loss;
        if (_options.Loss == CollaborativeLoss.CrossEntropy)
        {
            loss = nn.functional.cross_entropy(u.matmul(allItems.t()), itemIndex);
        }
        else
        {
            var negatives = new long[pairCount * _options.Negatives];
            for (int n = 0; n < negatives.Length; n++)
            {
                negatives[n] = batch[pairCount + n];
            }

            Tensor negativeIndex = tensor(negatives, device: _device);
            Tensor positiveScore = (u * allItems.index_select(0, itemIndex)).sum(1, keepdim: true);
            Tensor negativeScore = (u.unsqueeze(1) * allItems.index_select(0, negativeIndex).view(pairCount, _options.Negatives, -1)).sum(2);
            loss = -nn.functional.logsigmoid(positiveScore - negativeScore).mean();
            regularization = regularization.Plus(_network.ItemEgo.index_select(0, negativeIndex).Squared().sum().DividedBy(_options.Negatives));
        }

        return loss.Plus(regularization.Times(_options.L2Regularization / (2.0 * pairCount)));
    }

    public double? Validate()
    {
        if (_data.ValidationCases is not { Count: > 0 } cases)
        {
            return null;
        }

        return ValidationScore.Compute(_recommender(), cases, _options, _options.ExcludeHistoryFromRecommendations, batchSize: 1024);
    }

    private int SampleNegative(int user, Random random)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int item = random.Next(_data.ItemCount);
            if (!_positives.Contains(Key(user, item)))
            {
                return item;
            }
        }

        return random.Next(_data.ItemCount); // a user who has nearly every item: any item will do
    }

    private static long Key(int user, int item) => ((long)user << 32) | (uint)item;
}
