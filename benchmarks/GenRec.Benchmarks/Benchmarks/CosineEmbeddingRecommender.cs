using GenRec.MLNet.Evaluation;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// A diagnostic: ranks items by cosine (or raw dot product) between fixed user and item embeddings. Generative
/// retrieval scores by cosine against the CF item embeddings, while the CF model that made them ranks by dot product;
/// ranking the CF model's own vectors both ways shows what the cosine alone costs (item norms carry popularity).
/// </summary>
internal sealed class CosineEmbeddingRecommender : IRecommender
{
    private readonly float[] _users;
    private readonly float[] _items;
    private readonly int _dimension;
    private readonly bool _cosine;

    public CosineEmbeddingRecommender(float[] userEmbeddings, float[] itemEmbeddings, int dimension, bool cosine)
    {
        _dimension = dimension;
        _cosine = cosine;
        _users = cosine ? Normalized(userEmbeddings, dimension) : userEmbeddings;
        _items = cosine ? Normalized(itemEmbeddings, dimension) : itemEmbeddings;
        ItemCount = itemEmbeddings.Length / dimension;
    }

    public int ItemCount { get; }

    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
    {
        var result = new int[requests.Count][];
        var scores = new float[ItemCount];
        for (int r = 0; r < requests.Count; r++)
        {
            var user = new ReadOnlySpan<float>(_users, requests[r].UserIndex * _dimension, _dimension);
            for (int item = 0; item < ItemCount; item++)
            {
                scores[item] = System.Numerics.Tensors.TensorPrimitives.Dot(user, new ReadOnlySpan<float>(_items, item * _dimension, _dimension));
            }

            if (excludeHistory)
            {
                foreach (int item in requests[r].History)
                {
                    scores[item] = float.NegativeInfinity;
                }
            }

            result[r] = Enumerable.Range(0, ItemCount).OrderByDescending(item => scores[item]).ThenBy(item => item).Take(k).ToArray();
        }

        return result;
    }

    public override string ToString() => _cosine ? "cosine" : "dot product";

    private static float[] Normalized(float[] rows, int dimension)
    {
        var normalized = (float[])rows.Clone();
        for (int start = 0; start < rows.Length; start += dimension)
        {
            Span<float> row = normalized.AsSpan(start, dimension);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
        }

        return normalized;
    }
}
