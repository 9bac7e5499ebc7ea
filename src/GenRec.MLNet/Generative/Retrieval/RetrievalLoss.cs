namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>How generative retrieval is trained to place a prompt's vector among the CF item embeddings.</summary>
public enum RetrievalLoss
{
    /// <summary>
    /// TokenRec's pairwise cosine loss: 1 − cos with the positive item plus max(0, cos − <see cref="GenerativeRetrievalOptions.Margin"/>)
    /// per sampled negative (<see cref="GenerativeRetrievalOptions.NegativesPerPositive"/>).
    /// </summary>
    CosineMargin = 0,

    /// <summary>
    /// Cross-entropy over every item of cos(prompt, item) / <see cref="GenerativeRetrievalOptions.SoftmaxTemperature"/>:
    /// the positive item must outrank the whole catalog, which is what retrieval is scored on. Every other item is a
    /// negative (the prompt's other items too); no negatives are sampled.
    /// </summary>
    Softmax = 1,
}
