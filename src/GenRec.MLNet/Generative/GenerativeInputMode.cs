namespace GenRec.MLNet.Generative;

/// <summary>How a user's history is fed to the transformer.</summary>
public enum GenerativeInputMode
{
    /// <summary>
    /// TIGER's layout: every history item contributes its L code tokens, so the input is L × H tokens long. The
    /// attention sees individual codes, at L² times the attention cost and L times the feed-forward cost.
    /// </summary>
    CodeTokens = 0,

    /// <summary>
    /// One input vector per history item: the sum of its code-token embeddings (each level has its own tokens,
    /// so the sum is level-aware). The input is H long, L times shorter than <see cref="CodeTokens"/>.
    /// </summary>
    ItemEmbedding = 1,
}
