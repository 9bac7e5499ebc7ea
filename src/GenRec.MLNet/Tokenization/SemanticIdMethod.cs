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
}
