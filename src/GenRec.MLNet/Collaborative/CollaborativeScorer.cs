using GenRec.MLNet.Collaborative.Models;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// Scores all items for batches of users with a trained (or training) collaborative network: a user-vector
/// lookup for MF/LightGCN, an encoding of the request's history for SASRec. Used for validation during
/// training and by <see cref="CollaborativeEmbeddingModel"/> afterwards.
/// </summary>
internal sealed class CollaborativeScorer : IRecommender, IDisposable
{
    private readonly SasRecNetwork? _sequenceNetwork;
    private readonly Tensor? _users;
    private readonly Tensor _items;
    private readonly Device _device;

    /// <summary>Scorer over a graph network: embeddings are propagated once, here.</summary>
    public CollaborativeScorer(GraphEmbeddingNetwork network, Device device)
    {
        using var noGrad = no_grad();
        (Tensor users, Tensor items) = network.Propagate();
        _users = users.detach().clone();
        _items = items.detach().clone();
        users.Dispose();
        items.Dispose();
        _device = device;
        ItemCount = (int)_items.shape[0];
    }

    /// <summary>Scorer over a SASRec network (the network stays owned by the caller).</summary>
    public CollaborativeScorer(SasRecNetwork network, Device device)
    {
        _sequenceNetwork = network;
        _items = network.ItemEmbeddings.detach();
        _device = device;
        ItemCount = (int)_items.shape[0];
    }

    public int ItemCount { get; }

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) =>
        RecommendWithScores(requests, k, excludeHistory, out _);

    public int[][] RecommendWithScores(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory, out float[][] scores)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor userVectors = UserVectors(requests);
        Tensor allScores = userVectors.matmul(_items.t());
        IReadOnlyList<int[]>? exclude = excludeHistory ? requests.Select(r => r.History).ToArray() : null;
        return TopKSelection.Select(allScores, k, exclude, out scores);
    }

    /// <summary>User vectors [requests, dimension] (a zero vector for an unknown user of a graph model).</summary>
    public Tensor UserVectors(IReadOnlyList<RecommendationRequest> requests)
    {
        if (_sequenceNetwork is null)
        {
            using var scope = NewDisposeScope();
            long[] index = requests.Select(r => (long)Math.Max(0, r.UserIndex)).ToArray();
            Tensor known = tensor(requests.Select(r => r.UserIndex >= 0 && r.UserIndex < _users!.shape[0] ? 1f : 0f).ToArray(), device: _device).unsqueeze(1);
            Tensor safeIndex = tensor(index, device: _device).AtMost(_users!.shape[0] - 1);
            return (_users.index_select(0, safeIndex) * known).MoveToOuterDisposeScope();
        }

        return EncodeHistories(requests.Select(r => r.History).ToArray());
    }

    /// <summary>SASRec representation of each history (its most recent MaxLength items); a zero vector for an empty history.</summary>
    public Tensor EncodeHistories(IReadOnlyList<int[]> histories)
    {
        using var scope = NewDisposeScope();
        SasRecNetwork network = _sequenceNetwork ?? throw new InvalidOperationException("Only SASRec encodes histories.");
        int maxLength = network.MaxLength;
        int time = Math.Max(1, histories.Max(h => Math.Min(h.Length, maxLength)));
        var tokens = new long[histories.Count * time];
        var lengths = new long[histories.Count];
        for (int b = 0; b < histories.Count; b++)
        {
            int[] h = histories[b];
            int length = Math.Min(h.Length, maxLength);
            int offset = h.Length - length;
            for (int t = 0; t < length; t++)
            {
                tokens[b * time + t] = h[offset + t] + 1;
            }

            lengths[b] = length;
        }

        Tensor lengthTensor = tensor(lengths, device: _device);
        Tensor hidden = network.LastHidden(tensor(tokens, device: _device).view(histories.Count, time), lengthTensor);
        Tensor nonEmpty = lengthTensor.AboveMask(0).to_type(hidden.dtype).unsqueeze(1);
        return (hidden * nonEmpty).MoveToOuterDisposeScope();
    }

    /// <summary>Item vectors [items, dimension].</summary>
    public Tensor ItemVectors => _items;

    public void Dispose()
    {
        _users?.Dispose();
        _items.Dispose(); // for SASRec a detached view: disposing the handle leaves the network's weights alone
    }
}
