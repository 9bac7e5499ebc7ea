namespace GenRec.MLNet.Generative;

/// <summary>The transformer layout of the generative recommender.</summary>
public enum GenerativeArchitecture
{
    /// <summary>
    /// TIGER / LETTER: a bidirectional encoder reads the history; a decoder generates the next item's L codes
    /// (input BOS + codes 0..L−2). One training example per history prefix.
    /// </summary>
    EncoderDecoder = 0,

    /// <summary>
    /// A causal transformer over the history (DecoderLayers blocks; EncoderLayers is unused) whose state after
    /// each history item predicts the next item's L codes through a small autoregressive code head: level l is
    /// scored from the state plus the embeddings of the codes chosen at levels 0..l−1. A user's whole sequence
    /// trains every position in one pass (as SASRec does), instead of one forward pass per prefix, and beam
    /// search runs the transformer once per user and only the tiny head per level.
    /// </summary>
    DecoderOnly = 1,
}
