using GenRec.MLNet.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// A trained collaborative model: read-only user and item embeddings (the tokenizer's collaborative input)
/// and an <see cref="IRecommender"/> that ranks all items for users — by the user embedding for MF/LightGCN,
/// by encoding the given history for SASRec.
/// </summary>
public sealed class CollaborativeEmbeddingModel : IRecommender, IDisposable
{
    private readonly CollaborativeScorer _scorer;
    private readonly nn.Module? _network;
    private readonly float[] _userEmbeddings;
    private readonly float[] _itemEmbeddings;
    private readonly int[][] _histories;

    internal CollaborativeEmbeddingModel(CollaborativeModelKind kind, CollaborativeScorer scorer, nn.Module? network, int userCount, int[][] histories)
    {
        Kind = kind;
        _scorer = scorer;
        _network = network;
        _histories = histories;
        UserCount = userCount;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor items = scorer.ItemVectors;
        Dimension = (int)items.shape[1];
        _itemEmbeddings = items.cpu().contiguous().data<float>().ToArray();
        var users = new float[(long)userCount * Dimension];
        const int chunk = 1024;
        for (int start = 0; start < userCount; start += chunk)
        {
            var requests = Enumerable.Range(start, Math.Min(chunk, userCount - start)).Select(u => new RecommendationRequest(u, histories[u])).ToArray();
            scorer.UserVectors(requests).cpu().contiguous().data<float>().ToArray().CopyTo(users, (long)start * Dimension);
        }

        _userEmbeddings = users;
    }

    /// <summary>The model family.</summary>
    public CollaborativeModelKind Kind { get; }

    /// <summary>Number of users (user index 0..UserCount-1).</summary>
    public int UserCount { get; }

    /// <inheritdoc />
    public int ItemCount => _scorer.ItemCount;

    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; }

    /// <summary>User embeddings, row-major [UserCount × Dimension]. For SASRec: the encoding of the user's training history.</summary>
    public ReadOnlyMemory<float> UserEmbeddings => _userEmbeddings;

    /// <summary>Item embeddings, row-major [ItemCount × Dimension].</summary>
    public ReadOnlyMemory<float> ItemEmbeddings => _itemEmbeddings;

    /// <summary>The embedding of one user.</summary>
    public ReadOnlySpan<float> GetUserEmbedding(int userIndex) => _userEmbeddings.AsSpan(checked(userIndex * Dimension), Dimension);

    /// <summary>The embedding of one item.</summary>
    public ReadOnlySpan<float> GetItemEmbedding(int itemIndex) => _itemEmbeddings.AsSpan(checked(itemIndex * Dimension), Dimension);

    /// <summary>The SASRec network (null for MF/LightGCN): what a saved model carries to encode new histories.</summary>
    internal Models.SasRecNetwork? SequenceNetwork => _network as Models.SasRecNetwork;

    /// <summary>The training history the model knows for a user (item indices, oldest first).</summary>
    public IReadOnlyList<int> GetTrainingHistory(int userIndex) => _histories[userIndex];

    /// <inheritdoc />
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) => _scorer.Recommend(requests, k, excludeHistory);

    /// <summary>As <see cref="Recommend(IReadOnlyList{RecommendationRequest}, int, bool)"/>, also returning each recommended item's score.</summary>
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory, out float[][] scores) =>
        _scorer.RecommendWithScores(requests, k, excludeHistory, out scores);

    /// <inheritdoc />
    public void Dispose()
    {
        _scorer.Dispose();
        _network?.Dispose();
    }
}
