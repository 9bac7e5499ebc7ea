using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>
/// Options of the residual k-means tokenizer ("RQ-KMeans"): k-means on the item vectors gives the first code of every
/// item, k-means on what the first centroid leaves unexplained (the residual) gives the second, and so on level by
/// level. There is no encoder network and no gradient training: the codebooks are the centroids. Used when
/// <see cref="SemanticIdTokenizerOptions.Method"/> is <see cref="SemanticIdMethod.ResidualKMeans"/>.
/// </summary>
/// <remarks>
/// <para>Not LETTER: there is no collaborative or diversity regularizer. Collaborative signal enters instead by
/// fusion: when <see cref="SemanticIdTokenizerOptions.CollaborativeColumnName"/> is set, every item's input is the
/// concatenation [(1 − w)·content/‖content‖, w·cf/‖cf‖] with w = <see cref="CollaborativeWeight"/>, so k-means
/// clusters items that are close in text and in interactions together.</para>
/// <para>Training runs on the CPU: k-means iterations in single precision, code assignment in double precision with
/// the centroids rounded to the single-precision values that are saved, so encoding an item after save/load repeats its
/// training codes.</para>
/// </remarks>
public sealed class ResidualKMeansOptions
{
    /// <summary>Number of residual levels (codes per item before collision handling). Default 3, as TIGER and GRID.</summary>
    public int Levels = 3;

    /// <summary>Centroids per level (k of every k-means). Default 256; at most the number of items.</summary>
    public int CodebookSize = 256;

    /// <summary>Lloyd iterations of each level's k-means (k-means++ seeding first; stops early when no assignment changes).</summary>
    public int KMeansIterations = 50;

    /// <summary>Seed of the k-means++ draws; null = draw one from the <see cref="Microsoft.ML.MLContext"/> seed.</summary>
    public int? Seed;

    /// <summary>How each content vector is rescaled before fusion and k-means (default none: k-means on the input as given).</summary>
    public InputNormalization Normalization = InputNormalization.None;

    /// <summary>
    /// Weight w ∈ [0, 1] of the collaborative part when a CF column is fused into the input (see the remarks): 0 is the
    /// content alone, 1 the CF embedding alone, 0.5 both equally. Used only when
    /// <see cref="SemanticIdTokenizerOptions.CollaborativeColumnName"/> is set. An item whose CF vector is all zeros (the
    /// collaborative stage's answer for an item it never saw) is placed by the content part alone, so a new item is coded
    /// from its content vector.
    /// </summary>
    public double CollaborativeWeight = 0.5;

    /// <summary>
    /// What to do about items that share all codes: <see cref="CollisionHandling.ExtraLevel"/> (default, TIGER) numbers
    /// them on one more level; <see cref="CollisionHandling.SinkhornReassign"/> moves them to free last-level centroids
    /// first (LETTER's rule, with <see cref="RqVaeOptions"/>' default Sinkhorn settings); <see cref="CollisionHandling.None"/>
    /// keeps shared IDs.
    /// </summary>
    public CollisionHandling CollisionHandling = CollisionHandling.ExtraLevel;

    /// <summary>Checks every option, naming the one that is wrong.</summary>
    public void Validate()
    {
        if (Levels < 1 || Levels > Persistence.ModelFileLimits.MaxLevels)
        {
            throw new ArgumentOutOfRangeException(nameof(Levels), Levels, $"Levels must be between 1 and {Persistence.ModelFileLimits.MaxLevels}.");
        }

        if (CodebookSize < 2 || CodebookSize > Persistence.ModelFileLimits.MaxCodebookSize)
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookSize), CodebookSize, $"CodebookSize must be between 2 and {Persistence.ModelFileLimits.MaxCodebookSize}.");
        }

        if (KMeansIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(KMeansIterations), KMeansIterations, "KMeansIterations must be at least 1.");
        }

        if (!Enum.IsDefined(Normalization))
        {
            throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization, "Unknown input normalization.");
        }

        if (!double.IsFinite(CollaborativeWeight) || CollaborativeWeight < 0 || CollaborativeWeight > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CollaborativeWeight), CollaborativeWeight, "CollaborativeWeight must be in [0, 1] (0 = content only, 1 = CF only).");
        }

        if (!Enum.IsDefined(CollisionHandling))
        {
            throw new ArgumentOutOfRangeException(nameof(CollisionHandling), CollisionHandling, "Unknown collision handling.");
        }
    }
}
