namespace GenRec.MLNet.Collaborative;

/// <summary>The collaborative model that <see cref="CollaborativeEmbeddingEstimator"/> trains.</summary>
public enum CollaborativeModelKind
{
    /// <summary>Matrix factorization: one embedding per user and per item, score = dot product (Rendle et al., BPR, 2009).</summary>
    MatrixFactorization = 0,

    /// <summary>LightGCN (He et al., 2020): embeddings averaged over propagation layers of the normalized user-item graph.</summary>
    LightGcn = 1,

    /// <summary>SASRec (Kang &amp; McAuley, 2018): causal self-attention over the user's ordered history.</summary>
    SasRec = 2,
}
