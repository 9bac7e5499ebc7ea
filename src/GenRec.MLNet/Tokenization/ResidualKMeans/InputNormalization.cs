namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>How <see cref="ResidualKMeansOptions"/> rescales each content vector before the first k-means level.</summary>
public enum InputNormalization
{
    /// <summary>Use the vectors as they are: k-means on the raw input.</summary>
    None = 0,

    /// <summary>Divide every vector by its Euclidean length, so only its direction counts (cosine geometry; sentence encoders' usual metric).</summary>
    L2 = 1,

    /// <summary>
    /// Subtract each feature's mean over the training items and divide by its standard deviation (a constant feature is
    /// only centred), so no feature dominates the distances by its scale alone. The means and deviations are saved with the model.
    /// </summary>
    Standardize = 2,
}
