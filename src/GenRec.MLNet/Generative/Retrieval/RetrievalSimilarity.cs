namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>How generative retrieval compares the encoded request with each item's CF embedding, in training and ranking.</summary>
public enum RetrievalSimilarity
{
    /// <summary>
    /// TokenRec's cosine: both vectors are normalized, so an item's embedding length (which in a CF model such as
    /// LightGCN carries much of its popularity) does not count.
    /// </summary>
    Cosine = 0,

    /// <summary>
    /// The dot product with the unnormalized CF item embeddings, the score the CF model itself ranks by: the request
    /// vector's length is free, and an item's embedding length counts. Needs <see cref="RetrievalLoss.Softmax"/>
    /// (the pairwise loss is defined on cosines).
    /// </summary>
    DotProduct = 1,
}
