namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// The result of <see cref="RqVaeTrainer.Train"/>: the trained tokenizer and the catalog's semantic IDs, before and
/// after collision handling, with the statistics a user needs to judge them.
/// </summary>
public sealed class RqVaeModel : IDisposable
{
    internal RqVaeModel(RqVaeTokenizer tokenizer, SemanticIdTable codes, SemanticIdTable codesBeforeResolution, RqVaeCollisionReport collisions, double reconstructionLoss, long deadCodeResets)
    {
        Tokenizer = tokenizer;
        Codes = codes;
        CodesBeforeResolution = codesBeforeResolution;
        Collisions = collisions;
        ReconstructionLoss = reconstructionLoss;
        DeadCodeResets = deadCodeResets;
        QuantizedVectors = tokenizer.QuantizedVectors(codes);
        var utilization = new double[codesBeforeResolution.Levels];
        for (int level = 0; level < utilization.Length; level++)
        {
            var used = new HashSet<int>();
            for (int item = 0; item < codesBeforeResolution.ItemCount; item++)
            {
                used.Add(codesBeforeResolution[item][level]);
            }

            utilization[level] = used.Count / (double)codesBeforeResolution.CodebookSizes[level];
        }

        CodeUtilization = utilization;
    }

    /// <summary>The trained network (encode new items, codebooks, weights).</summary>
    public RqVaeTokenizer Tokenizer { get; }

    /// <summary>Architecture needed by <see cref="Load"/> / <see cref="RqVaeTokenizer.Load"/> to rebuild the network.</summary>
    public RqVaeHyperparameters Hyperparameters => Tokenizer.Hyperparameters;

    /// <summary>
    /// Every training item's semantic ID after collision handling: unique for <see cref="CollisionHandling.ExtraLevel"/>
    /// and <see cref="CollisionHandling.SinkhornReassign"/>, which may have one level more than the quantizer
    /// (see <see cref="RqVaeCollisionReport.ExtraLevelAppended"/>).
    /// </summary>
    public SemanticIdTable Codes { get; }

    /// <summary>The quantizer's own codes for the training items (what <see cref="Encode"/> returns for them).</summary>
    public SemanticIdTable CodesBeforeResolution { get; }

    /// <summary>
    /// Per item, the sum of the code vectors of its final ID over the quantizer's levels, row-major
    /// [items × CodeDimension] (e.g. to initialize a recommender's item representations).
    /// </summary>
    public float[] QuantizedVectors { get; }

    /// <summary>Mean squared reconstruction error of the training items after training (eval mode).</summary>
    public double ReconstructionLoss { get; }

    /// <summary>What collision handling found and did.</summary>
    public RqVaeCollisionReport Collisions { get; }

    /// <summary>Share of each level's codes used by at least one training item (before collision handling).</summary>
    public IReadOnlyList<double> CodeUtilization { get; }

    /// <summary>How many times a dead code was re-seeded during training (0 when the reset is off).</summary>
    public long DeadCodeResets { get; }

    /// <summary>Codes for new content vectors; see <see cref="RqVaeTokenizer.Encode"/> (collision handling is not applied).</summary>
    public SemanticIdTable Encode(float[] vectors, int count) => Tokenizer.Encode(vectors, count);

    /// <summary>The network's weights; restore with <see cref="Load"/> (or <see cref="RqVaeTokenizer.Load"/>) and <see cref="Hyperparameters"/>.</summary>
    public byte[] SaveWeights() => Tokenizer.SaveWeights();

    /// <summary>
    /// Rebuilds a model from a weight blob, its hyperparameters and the tables and report saved beside them (the
    /// quantized vectors are recomputed from the codebooks; the training statistics are taken as given).
    /// </summary>
    public static RqVaeModel Load(byte[] weights, RqVaeHyperparameters hyperparameters, SemanticIdTable codes, SemanticIdTable codesBeforeResolution, RqVaeCollisionReport collisions, double reconstructionLoss = double.NaN, long deadCodeResets = 0)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(codesBeforeResolution);
        ArgumentNullException.ThrowIfNull(collisions);
        if (codes.ItemCount != codesBeforeResolution.ItemCount)
        {
            throw new ArgumentException($"The tables disagree on the number of items ({codes.ItemCount} vs {codesBeforeResolution.ItemCount}).", nameof(codes));
        }

        RqVaeTokenizer tokenizer = RqVaeTokenizer.Load(weights, hyperparameters);
        try
        {
            return new RqVaeModel(tokenizer, codes, codesBeforeResolution, collisions, reconstructionLoss, deadCodeResets);
        }
        catch
        {
            tokenizer.Dispose();
            throw;
        }
    }

    /// <summary>Releases the network.</summary>
    public void Dispose() => Tokenizer.Dispose();
}
