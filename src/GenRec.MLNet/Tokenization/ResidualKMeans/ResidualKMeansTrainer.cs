using GenRec.MLNet.Nn;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>
/// Fits the residual k-means tokenizer: k-means (k-means++ seeding from a private seeded generator, Lloyd iterations) on
/// the prepared item vectors, then on the residuals, level by level; then codes every item with the saved centroids and
/// makes the IDs unique as the RQ-VAE does.
/// </summary>
internal static class ResidualKMeansTrainer
{
    private const string ComponentName = "ResidualKMeans";

    // LETTER's Sinkhorn settings (rounds, ε, iterations) for CollisionHandling.SinkhornReassign; nothing else is read.
    private static readonly RqVaeOptions SinkhornSettings = new();

    /// <summary>Fits the tokenizer on <paramref name="itemCount"/> content vectors (and optional CF vectors to fuse).</summary>
    /// <param name="mlContext">Supplies the log and, when <see cref="ResidualKMeansOptions.Seed"/> is null, the seed.</param>
    /// <param name="contentVectors">Row-major [itemCount × dimension].</param>
    /// <param name="itemCount">Items; at least <see cref="ResidualKMeansOptions.CodebookSize"/>.</param>
    /// <param name="dimension">Length of a content vector.</param>
    /// <param name="cfVectors">Optional CF vectors, row-major [itemCount × cfDimension], fused when the weight is above 0.</param>
    /// <param name="cfDimension">Length of a CF vector (0 without).</param>
    /// <param name="options">Levels, codebook size, iterations, seed, normalization, fusion weight, collision handling.</param>
    /// <exception cref="ArgumentException">No items, a length that does not match, a NaN/∞ (named by row), or fewer items than CodebookSize.</exception>
    public static ResidualKMeansModel Train(MLContext mlContext, float[] contentVectors, int itemCount, int dimension, float[]? cfVectors, int cfDimension, ResidualKMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(contentVectors);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ValidateInputs(contentVectors, itemCount, dimension, cfVectors, cfDimension, options);
        bool fused = cfVectors is not null && options.CollaborativeWeight > 0;
        var hyperparameters = new ResidualKMeansHyperparameters
        {
            ContentDimension = dimension, CollaborativeDimension = fused ? cfDimension : 0, CollaborativeWeight = fused ? options.CollaborativeWeight : 0,
            Normalization = options.Normalization, Levels = options.Levels, CodebookSize = options.CodebookSize,
        };
        (float[] means, float[] scales) = options.Normalization == InputNormalization.Standardize
            ? FeatureStatistics(contentVectors, itemCount, dimension)
            : (Array.Empty<float>(), Array.Empty<float>());

        int seed = TorchEnvironment.ResolveSeed(mlContext, options.Seed, ComponentName);
        TorchEnvironment.UseAllCores();
        // A private generator: torch's global one is shared by every training in the process, so drawing from it would
        // make "same seed, same codes" depend on what else runs.
        using var generator = new Generator((ulong)(uint)seed, CPU);
        using IChannel channel = ((IHostEnvironment)mlContext).Register(ComponentName).Start("Fit");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor prepared = ResidualKMeansEncoding.Prepare(hyperparameters, contentVectors, fused ? cfVectors : null, itemCount, means, scales, out Tensor? missing);
        var centroids = new float[options.Levels][];
        var residualErrors = new double[options.Levels];
        Tensor residual = prepared, lastLevelInput = prepared, lastCentroids = prepared;
        for (int level = 0; level < options.Levels; level++)
        {
            lastLevelInput = residual;
            // Lloyd iterations in single precision (fast); the centroids are then used as the saved float32 values.
            Tensor fitted = KMeans.Fit(residual.to_type(ScalarType.Float32), options.CodebookSize, options.KMeansIterations, generator);
            centroids[level] = fitted.data<float>().ToArray();
            lastCentroids = fitted.to_type(ScalarType.Float64);
            (Tensor codes, residual) = ResidualKMeansEncoding.AssignLevel(residual, lastCentroids, missing, dimension);
            residualErrors[level] = residual.Squared().mean().item<double>();
            long used = codes.unique().Item1.shape[0];
            channel.Info(MessageSensitivity.None, "Level {0}: {1} of {2} centroids used, mean squared residual {3:G4}.", level + 1, used, options.CodebookSize, residualErrors[level]);
        }

        var model = new ResidualKMeansModel(hyperparameters, centroids, means, scales);
        // The training codes are the encoder's codes of the same prepared rows, by construction.
        int[] before = model.EncodeRows(prepared, missing);
        Tensor lastInput = lastLevelInput, last = lastCentroids;
        Tensor? lastMissing = missing;
        CollisionResolver.Result resolved = CollisionResolver.Resolve(
            before, options.Levels, options.CodebookSize, options.CollisionHandling, rows => LastLevelDistances(lastInput, last, lastMissing, dimension, rows), SinkhornSettings);
        channel.Info(MessageSensitivity.None, "Collisions: {0:P2} of items shared an ID before handling ({1}), {2:P2} after.",
            resolved.Report.CollisionRateBefore, options.CollisionHandling, resolved.Report.CollisionRateAfter);
        model.Dispose();
        return new ResidualKMeansModel(
            hyperparameters, centroids, means, scales, Table(resolved.Codes, resolved.CodebookSizes, itemCount), model.ToTable(before, itemCount), resolved.Report, residualErrors)
        {
            FitTime = clock.Elapsed,
        };
    }

    private static void ValidateInputs(float[] contentVectors, int itemCount, int dimension, float[]? cfVectors, int cfDimension, ResidualKMeansOptions options)
    {
        if (itemCount <= 0 || contentVectors.Length == 0)
        {
            throw new ArgumentException($"No items to tokenize (itemCount = {itemCount}, {contentVectors.Length} values).", nameof(contentVectors));
        }

        RqVaeInputValidation.RequireFiniteMatrix(contentVectors, itemCount, dimension, nameof(contentVectors), "content vector");
        if (cfVectors is not null)
        {
            RqVaeInputValidation.RequireFiniteMatrix(cfVectors, itemCount, cfDimension, nameof(cfVectors), "CF vector");
        }

        if (itemCount < options.CodebookSize)
        {
            throw new ArgumentException(
                $"{itemCount} items are fewer than CodebookSize ({options.CodebookSize}): k-means cannot place {options.CodebookSize} centroids on " +
                $"{itemCount} points. Lower CodebookSize to at most {itemCount}.",
                nameof(itemCount));
        }
    }

    /// <summary>Per-feature mean and standard deviation over the items, as saved (float); a constant feature gets deviation 1.</summary>
    private static (float[] Means, float[] Scales) FeatureStatistics(float[] vectors, int count, int dimension)
    {
        var means = new float[dimension];
        var scales = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            double sum = 0;
            for (int row = 0; row < count; row++)
            {
                sum += vectors[row * dimension + d];
            }

            double mean = sum / count, squares = 0;
            for (int row = 0; row < count; row++)
            {
                double centred = vectors[row * dimension + d] - mean;
                squares += centred * centred;
            }

            float deviation = (float)Math.Sqrt(squares / count);
            means[d] = (float)mean;
            scales[d] = deviation > 1e-12f ? deviation : 1f;
        }

        return (means, scales);
    }

    private static float[] LastLevelDistances(Tensor lastLevelInput, Tensor centroids, Tensor? missing, int contentDimension, int[] items)
    {
        using var scope = NewDisposeScope();
        Tensor index = tensor(items.Select(i => (long)i).ToArray());
        Tensor distances = ResidualKMeansEncoding.Distances(lastLevelInput.index_select(0, index), centroids, missing?.index_select(0, index), contentDimension);
        return distances.to_type(ScalarType.Float32).data<float>().ToArray();
    }

    private static SemanticIdTable Table(int[] codes, int[] codebookSizes, int count)
    {
        int levels = codebookSizes.Length;
        var rows = new int[count][];
        for (int item = 0; item < count; item++)
        {
            rows[item] = codes.AsSpan(item * levels, levels).ToArray();
        }

        return new SemanticIdTable(rows, codebookSizes);
    }
}
