using GenRec.MLNet.Nn;
using GenRec.MLNet.Tokenization.RqVae;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>
/// A trained residual k-means tokenizer ("RQ-KMeans"): one set of centroids per level, no network. An item's code at a
/// level is its nearest centroid after the previous levels' centroids are subtracted. The result of
/// <see cref="SemanticIdTokenizerEstimator"/> with <see cref="SemanticIdMethod.ResidualKMeans"/>
/// (<see cref="SemanticIdTokenizerTransformer.ResidualKMeansModel"/>).
/// </summary>
public sealed class ResidualKMeansModel : ISemanticIdEncoder
{
    private readonly float[][] _centroids;
    private readonly float[] _means;
    private readonly float[] _scales;
    private readonly Tensor[] _centroidTensors;
    private readonly SemanticIdTable? _codes;
    private readonly SemanticIdTable? _codesBeforeResolution;
    private readonly RqVaeCollisionReport? _collisions;

    internal ResidualKMeansModel(
        ResidualKMeansHyperparameters hyperparameters, float[][] centroids, float[] means, float[] scales,
        SemanticIdTable? codes = null, SemanticIdTable? codesBeforeResolution = null, RqVaeCollisionReport? collisions = null, double[]? residualErrors = null)
    {
        Hyperparameters = hyperparameters;
        _centroids = centroids;
        _means = means;
        _scales = scales;
        _codes = codes;
        _codesBeforeResolution = codesBeforeResolution;
        _collisions = collisions;
        ResidualErrors = residualErrors ?? Array.Empty<double>();
        // Kept for the model's lifetime (encoding one row at a time must not rebuild them), outside any caller's scope.
        _centroidTensors = centroids
            .Select(c => tensor(c, new long[] { hyperparameters.CodebookSize, hyperparameters.QuantizedDimension }).to_type(ScalarType.Float64).DetachFromDisposeScope())
            .ToArray();
    }

    /// <summary>Input layout and sizes; with the centroids and statistics it rebuilds this model.</summary>
    public ResidualKMeansHyperparameters Hyperparameters { get; }

    /// <summary>Residual levels (codes per item before collision handling).</summary>
    public int Levels => Hyperparameters.Levels;

    /// <summary>Centroids per level.</summary>
    public int CodebookSize => Hyperparameters.CodebookSize;

    /// <summary>Whether a CF vector is fused into the input (then the transformer's input is content followed by CF).</summary>
    public bool IsFused => Hyperparameters.CollaborativeDimension > 0;

    /// <summary>Every training item's semantic ID after collision handling (may have one level more than <see cref="Levels"/>).</summary>
    public SemanticIdTable Codes => _codes ?? throw NotTrained(nameof(Codes));

    /// <summary>The nearest-centroid codes of the training items (what <see cref="Encode"/> returns for their vectors).</summary>
    public SemanticIdTable CodesBeforeResolution => _codesBeforeResolution ?? throw NotTrained(nameof(CodesBeforeResolution));

    /// <summary>What collision handling found and did.</summary>
    public RqVaeCollisionReport Collisions => _collisions ?? throw NotTrained(nameof(Collisions));

    /// <summary>Wall-clock time of the fit (k-means of every level, coding, collision handling); zero after a load.</summary>
    public TimeSpan FitTime { get; internal init; }

    /// <summary>Mean squared residual per feature of the training items after each level (falls level by level); empty after a load.</summary>
    public IReadOnlyList<double> ResidualErrors { get; }

    int ISemanticIdEncoder.InputDimension => Hyperparameters.QuantizedDimension;

    int ISemanticIdEncoder.QuantizedDimension => Hyperparameters.QuantizedDimension;

    /// <summary>The centroids of <paramref name="level"/>, row-major [CodebookSize × QuantizedDimension], in the normalized (and fused) input space.</summary>
    public float[] GetCentroids(int level)
    {
        if ((uint)level >= (uint)Levels)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Level must be in 0..{Levels - 1}.");
        }

        return (float[])_centroids[level].Clone();
    }

    /// <summary>
    /// Codes (<see cref="Levels"/> per row) of <paramref name="count"/> content vectors, row-major, and, for a fused model,
    /// their CF vectors (null, or an all-zero row, places an item by its content alone: a new item). Collision handling
    /// is not applied, so a new item may get an ID an existing item has.
    /// </summary>
    /// <exception cref="ArgumentException">A length that does not match, or a NaN/infinite value (the row is named).</exception>
    public SemanticIdTable Encode(float[] contentVectors, int count, float[]? collaborativeVectors = null)
    {
        RqVaeInputValidation.RequireFiniteMatrix(contentVectors, count, Hyperparameters.ContentDimension, nameof(contentVectors), "content vector");
        if (collaborativeVectors is not null)
        {
            if (!IsFused)
            {
                throw new ArgumentException("This model fuses no CF vectors; pass null.", nameof(collaborativeVectors));
            }

            RqVaeInputValidation.RequireFiniteMatrix(collaborativeVectors, count, Hyperparameters.CollaborativeDimension, nameof(collaborativeVectors), "CF vector");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor prepared = ResidualKMeansEncoding.Prepare(Hyperparameters, contentVectors, collaborativeVectors, count, _means, _scales, out Tensor? missing);
        return ToTable(EncodeRows(prepared, missing), count);
    }

    /// <summary>
    /// For every ID of <paramref name="codes"/>, the sum of its centroids over the <see cref="Levels"/> levels (a level
    /// appended by collision handling has no centroid and is ignored), row-major [IDs × QuantizedDimension].
    /// </summary>
    public float[] QuantizedVectors(SemanticIdTable codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Levels < Levels)
        {
            throw new ArgumentException($"The table has {codes.Levels} levels; this tokenizer needs {Levels}.", nameof(codes));
        }

        int dimension = Hyperparameters.QuantizedDimension;
        var sums = new double[codes.ItemCount * dimension];
        for (int item = 0; item < codes.ItemCount; item++)
        {
            ReadOnlySpan<int> row = codes[item];
            for (int level = 0; level < Levels; level++)
            {
                if ((uint)row[level] >= (uint)CodebookSize)
                {
                    throw new ArgumentException($"Item {item} has code {row[level]} at level {level}, outside 0..{CodebookSize - 1}.", nameof(codes));
                }

                ReadOnlySpan<float> centroid = _centroids[level].AsSpan(row[level] * dimension, dimension);
                for (int d = 0; d < dimension; d++)
                {
                    sums[item * dimension + d] += centroid[d];
                }
            }
        }

        return sums.Select(v => (float)v).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor centroids in _centroidTensors)
        {
            centroids.Dispose();
        }
    }

    SemanticIdTable ISemanticIdEncoder.Encode(float[] vectors, int count)
    {
        // The saved chain hands the encoder the content column followed by the CF column (see SemanticIdTokenizerTransformer).
        if (!IsFused)
        {
            return Encode(vectors, count);
        }

        int content = Hyperparameters.ContentDimension, cf = Hyperparameters.CollaborativeDimension;
        RqVaeInputValidation.RequireFiniteMatrix(vectors, count, content + cf, nameof(vectors), "content + CF vector");
        var contentPart = new float[count * content];
        var cfPart = new float[count * cf];
        for (int row = 0; row < count; row++)
        {
            vectors.AsSpan(row * (content + cf), content).CopyTo(contentPart.AsSpan(row * content));
            vectors.AsSpan(row * (content + cf) + content, cf).CopyTo(cfPart.AsSpan(row * cf));
        }

        return Encode(contentPart, count, cfPart);
    }

    /// <summary>The centroids, normalization statistics and sizes, for <see cref="ResidualKMeansBlob"/>.</summary>
    internal (float[][] Centroids, float[] Means, float[] Scales) State => (_centroids, _means, _scales);

    /// <summary>Codes of prepared rows (double precision, as <see cref="ResidualKMeansEncoding.Prepare"/> gives them), row-major int [rows × levels].</summary>
    internal int[] EncodeRows(Tensor prepared, Tensor? missing)
    {
        using var scope = NewDisposeScope();
        Tensor residual = prepared;
        var levels = new Tensor[Levels];
        for (int level = 0; level < Levels; level++)
        {
            (levels[level], residual) = ResidualKMeansEncoding.AssignLevel(residual, _centroidTensors[level], missing, Hyperparameters.ContentDimension);
        }

        return stack(levels, 1).to_type(ScalarType.Int32).data<int>().ToArray();
    }

    /// <summary>A table from row-major codes with this tokenizer's level and codebook sizes.</summary>
    internal SemanticIdTable ToTable(int[] codes, int count)
    {
        var rows = new int[count][];
        for (int item = 0; item < count; item++)
        {
            rows[item] = codes.AsSpan(item * Levels, Levels).ToArray();
        }

        return new SemanticIdTable(rows, Enumerable.Repeat(CodebookSize, Levels).ToArray());
    }

    private static InvalidOperationException NotTrained(string what) =>
        new($"{what} is known only for a model returned by training; a model rebuilt from a saved file only encodes.");
}
