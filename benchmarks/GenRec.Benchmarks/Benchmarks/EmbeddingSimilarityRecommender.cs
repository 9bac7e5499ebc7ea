using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Nn;
using static TorchSharp.torch;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// A diagnostic: ranks items by the cosine or the dot product of fixed user and item embeddings, prepared exactly as
/// generative retrieval prepares them (<see cref="RetrievalInputs"/>). Ranking the CF model's own vectors both ways
/// shows what TokenRec's cosine alone costs against the dot product the CF model ranks by (item lengths carry popularity).
/// </summary>
internal sealed class EmbeddingSimilarityRecommender : IRecommender, IDisposable
{
    private readonly Tensor _users;
    private readonly Tensor _items;
    private readonly RetrievalSimilarity _similarity;

    public EmbeddingSimilarityRecommender(float[] userEmbeddings, float[] itemEmbeddings, int dimension, RetrievalSimilarity similarity)
    {
        _similarity = similarity;
        ItemCount = itemEmbeddings.Length / dimension;
        _items = RetrievalInputs.ScoringItems(itemEmbeddings, ItemCount, dimension, similarity, CPU);
        using var scope = NewDisposeScope();
        Tensor users = tensor(userEmbeddings, new long[] { userEmbeddings.Length / dimension, dimension });
        _users = RetrievalInputs.ScoringRequests(users, similarity).MoveToOuterDisposeScope();
    }

    public int ItemCount { get; }

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor users = _users.index_select(0, tensor(requests.Select(r => (long)r.UserIndex).ToArray()));
        return TopKSelection.Select(users.mm(_items.t()), k, excludeHistory ? requests.Select(r => r.History).ToArray() : null);
    }

    public override string ToString() => _similarity == RetrievalSimilarity.Cosine ? "cosine" : "dot product";

    public void Dispose()
    {
        _users.Dispose();
        _items.Dispose();
    }
}
