namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>
/// What a trained residual k-means tokenizer needs, besides its centroids and normalization statistics, to encode a
/// vector: the input layout and the sizes. Saved as JSON in the model file and checked on load.
/// </summary>
public sealed class ResidualKMeansHyperparameters
{
    /// <summary>Length of a content vector.</summary>
    public int ContentDimension { get; set; }

    /// <summary>Length of the fused CF vector; 0 when no CF column is fused.</summary>
    public int CollaborativeDimension { get; set; }

    /// <summary>Weight of the CF part in the fused input (see <see cref="ResidualKMeansOptions.CollaborativeWeight"/>); unused without a CF part.</summary>
    public double CollaborativeWeight { get; set; }

    /// <summary>How content vectors are rescaled before fusion.</summary>
    public InputNormalization Normalization { get; set; }

    /// <summary>Residual levels.</summary>
    public int Levels { get; set; }

    /// <summary>Centroids per level.</summary>
    public int CodebookSize { get; set; }

    /// <summary>Length of the vectors k-means clusters (content, plus the CF part when fused): the centroid and quantized-vector length.</summary>
    public int QuantizedDimension => ContentDimension + CollaborativeDimension;

    /// <summary>Checks the values, naming the one that is wrong.</summary>
    public void Validate()
    {
        if (ContentDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ContentDimension), ContentDimension, "ContentDimension must be at least 1.");
        }

        if (CollaborativeDimension < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CollaborativeDimension), CollaborativeDimension, "CollaborativeDimension must not be negative.");
        }

        new ResidualKMeansOptions { Levels = Levels, CodebookSize = CodebookSize, Normalization = Normalization, CollaborativeWeight = CollaborativeWeight }.Validate();
    }
}
