namespace GenRec.MLNet.Collaborative;

/// <summary>Training objective of the collaborative models.</summary>
public enum CollaborativeLoss
{
    /// <summary>Bayesian personalized ranking with sampled negatives: −log σ(s⁺ − s⁻).</summary>
    Bpr = 0,

    /// <summary>Softmax cross-entropy over all items (no sampling); usually much stronger for SASRec.</summary>
    CrossEntropy = 1,
}
