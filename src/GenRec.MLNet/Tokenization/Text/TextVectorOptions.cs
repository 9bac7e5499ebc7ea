using Microsoft.ML.Transforms.Text;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Options of <see cref="ContentVectorizers.TextToDenseVector"/>: offline text vectors made of ML.NET's
/// <c>FeaturizeText</c> (word and character n-gram TF-IDF) projected onto the top principal components.
/// </summary>
public sealed class TextVectorOptions
{
    /// <summary>
    /// Length of the dense output vector: the rank of the principal-component projection. Must not exceed the
    /// number of distinct n-grams the training texts produce.
    /// </summary>
    public int Dimension = 64;

    /// <summary>
    /// Longest word n-gram counted (all shorter lengths are counted too, so 2 = unigrams and bigrams).
    /// 0 turns word features off.
    /// </summary>
    public int WordNgramLength = 2;

    /// <summary>
    /// Character n-gram length (only this length, as in ML.NET's default). Character n-grams make vectors robust
    /// to spelling variants and inflections. 0 turns character features off.
    /// </summary>
    public int CharNgramLength = 3;

    /// <summary>
    /// Most distinct n-grams kept per n-gram length (the most frequent ones). This bounds both the sparse feature
    /// width and the size of the saved projection matrix (features × <see cref="Dimension"/> floats).
    /// </summary>
    public int MaximumNgramsCount = 100_000;

    /// <summary>How n-gram counts are weighted; TF-IDF (default) down-weights words shared by most items.</summary>
    public NgramExtractingEstimator.WeightingCriteria Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf;

    /// <summary>Drop English stop words before counting word n-grams.</summary>
    public bool RemoveStopWords;

    /// <summary>
    /// Scale each output vector to unit L2 length (ML.NET's <c>NormalizeLpNorm</c>), so dot products are cosine
    /// similarities and codebook distances do not depend on text length.
    /// </summary>
    public bool Normalize = true;

    /// <summary>Extra random directions of the randomized PCA; more gives a more exact projection at a higher cost.</summary>
    public int OverSampling = 20;

    /// <summary>Center the features before the projection (classic PCA). Turning it off keeps the raw TF-IDF origin.</summary>
    public bool EnsureZeroMean = true;

    /// <summary>Seed of the randomized PCA; null takes it from the <see cref="Microsoft.ML.MLContext"/>'s seed.</summary>
    public int? Seed;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> for invalid values.</summary>
    internal void Validate()
    {
        if (Dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "The dense vector needs at least one dimension.");
        }

        if (WordNgramLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WordNgramLength), WordNgramLength, "Use 0 to turn word n-grams off, or a positive length.");
        }

        if (CharNgramLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CharNgramLength), CharNgramLength, "Use 0 to turn character n-grams off, or a positive length.");
        }

        if (WordNgramLength == 0 && CharNgramLength == 0)
        {
            throw new ArgumentException("Word and character n-grams are both off; at least one must be on.", nameof(WordNgramLength));
        }

        if (MaximumNgramsCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumNgramsCount), MaximumNgramsCount, "At least one n-gram must be kept.");
        }

        if (OverSampling < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(OverSampling), OverSampling, "Over-sampling cannot be negative.");
        }
    }
}
