namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>How the RQ-VAE codebooks are initialized before training.</summary>
public enum CodebookInitialization
{
    /// <summary>
    /// K-means (k-means++ seeding, then Lloyd iterations) on every level's residuals of all training items, as
    /// encoded by the untrained encoder. Starts every code where data is, which largely prevents dead codes.
    /// </summary>
    KMeans = 0,

    /// <summary>
    /// Small uniform random codes (VQ-VAE's default). Many codes never win a nearest-code search and stay unused
    /// unless <see cref="RqVaeOptions.DeadCodeResetSteps"/> re-seeds them; offered for comparison and tests.
    /// </summary>
    Random = 1,
}
