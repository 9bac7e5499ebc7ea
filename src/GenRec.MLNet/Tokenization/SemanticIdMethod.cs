namespace GenRec.MLNet.Tokenization;

/// <summary>The quantizer <see cref="SemanticIdTokenizerEstimator"/> trains.</summary>
public enum SemanticIdMethod
{
    /// <summary>
    /// TIGER's residual-quantized VAE with LETTER's collaborative and diversity regularizers: coarse-to-fine levels,
    /// collisions resolved so every item's ID is unique. The input of the generative recommender.
    /// </summary>
    RqVae,

    /// <summary>
    /// TokenRec's masked K-way tokenizer: K independent ways, each picking one of L codes; IDs may be shared (TokenRec
    /// ranks by embedding similarity, not by decoding IDs). Works for items and for users (CF user embeddings).
    /// </summary>
    MaskedKWay,

    /// <summary>
    /// Residual k-means ("RQ-KMeans", as in GRID's study): k-means on the item vectors, then on the residuals, level by
    /// level; no encoder network and no gradient training. Optionally a CF column fused into the input. IDs made
    /// unique as with <see cref="RqVae"/>. Options: <see cref="SemanticIdTokenizerOptions.ResidualKMeans"/>.
    /// </summary>
    ResidualKMeans,
}
