using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Trains the RQ-VAE semantic-ID tokenizer (TIGER) with LETTER's collaborative and diversity regularizers on in-memory
/// vectors, through the shared <see cref="TrainingLoop"/>, then assigns and de-duplicates every item's ID.
/// </summary>
internal static class RqVaeTrainer
{
    private const string ComponentName = "RqVae";

    /// <summary>Trains a tokenizer on <paramref name="itemCount"/> content vectors and returns it with the catalog's IDs.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="contentVectors">Item content vectors, row-major [itemCount × dimension] (e.g. text embeddings).</param>
    /// <param name="itemCount">Number of items; item i is row i. Must be at least <see cref="RqVaeOptions.CodebookSize"/>.</param>
    /// <param name="dimension">Length of a content vector.</param>
    /// <param name="cfEmbeddings">
    /// Optional collaborative-filtering embeddings, row-major [itemCount × cfDimension] (e.g. SASRec item embeddings), for
    /// the collaborative regularizer; used when <see cref="RqVaeOptions.CollaborativeWeight"/> &gt; 0. When they are
    /// null the regularizer is skipped and a warning is logged (the weight is on by default, and a tokenizer without a
    /// CF column must still train); when the weight is 0 they are ignored.
    /// </param>
    /// <param name="cfDimension">Length of a CF embedding (0 when none is given).</param>
    /// <param name="options">Model, regularizer, collision and training options.</param>
    /// <param name="result">What the training loop did.</param>
    /// <exception cref="ArgumentException">Empty input, a length that does not match the sizes, a NaN/∞ (named by row), or too few items for the codebook.</exception>
    public static RqVaeModel Train(MLContext mlContext, float[] contentVectors, int itemCount, int dimension, float[]? cfEmbeddings, int cfDimension, RqVaeOptions options, out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(contentVectors);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        bool useCollaborative = ValidateInputs(contentVectors, itemCount, dimension, cfEmbeddings, cfDimension, options);
        WarnAboutAdjustments(mlContext, options, cfEmbeddings is not null);

        var loop = new TrainingLoop(mlContext, options, ComponentName);
        var (device, seed) = TorchEnvironment.PrepareTraining(mlContext, options, ComponentName);

        // A private generator: torch's global one is shared by every training running in the process (tests run in
        // parallel), so drawing from it would make "same seed, same codes" depend on what else is running.
        // The network is built on the CPU and then moved, so its initial weights need a CPU generator; everything drawn
        // during training happens on the device.
        using var initGenerator = new Generator((ulong)(uint)seed, CPU);
        using var generator = new Generator((ulong)(uint)seed + 1, device);
        var network = new RqVaeNetwork(options.ToHyperparameters(dimension), initGenerator);
        var module = new RqVaeTrainingModule(network, useCollaborative ? cfDimension : 0);
        try
        {
            module.to(device);
            using Tensor content = tensor(contentVectors, new long[] { itemCount, dimension }, device: device);
            using Tensor? collaborative = useCollaborative ? tensor(cfEmbeddings!, new long[] { itemCount, cfDimension }, device: device) : null;
            var tokenizer = new RqVaeTokenizer(network, device);
            using var trainable = new RqVaeTrainable(module, content, collaborative, options, () => Validate(tokenizer, content, options), generator);
            // MaxTrainingTime bounds the whole fit: the k-means initialization and the collision resolution after the
            // loop share the budget with it.
            var fit = System.Diagnostics.Stopwatch.StartNew();
            if (options.CodebookInitialization == CodebookInitialization.KMeans)
            {
                trainable.InitializeCodebooks();
            }

            result = loop.Run(trainable, seed, data => data.Add(itemCount).Add(dimension).Add(contentVectors).Add(cfDimension).Add(useCollaborative ? cfEmbeddings : null), fit.Elapsed);
            module.ReleaseProjection();
            network.eval();
            Func<bool> outOfTime = options.MaxTrainingTime is { } budget ? () => fit.Elapsed >= budget : () => false;
            return Finish(tokenizer, content, options, trainable.DeadCodeResets, outOfTime);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static RqVaeModel Finish(RqVaeTokenizer tokenizer, Tensor content, RqVaeOptions options, long deadCodeResets, Func<bool> outOfTime)
    {
        int items = (int)content.shape[0];
        int[] before = tokenizer.EncodeCodes(content);
        CollisionResolver.Result resolved = CollisionResolver.Resolve(
            before, options.Levels, options.CodebookSize, options.CollisionHandling, rows => tokenizer.LastLevelDistances(content, rows), options, outOfTime);
        int levels = resolved.CodebookSizes.Length;
        var rows = new int[items][];
        for (int item = 0; item < items; item++)
        {
            rows[item] = resolved.Codes.AsSpan(item * levels, levels).ToArray();
        }

        var codes = new SemanticIdTable(rows, resolved.CodebookSizes);
        return new RqVaeModel(tokenizer, codes, tokenizer.ToTable(before, items), resolved.Report, tokenizer.ReconstructionLoss(content), deadCodeResets);
    }

    private static double? Validate(RqVaeTokenizer tokenizer, Tensor content, RqVaeOptions options)
    {
        if (!options.SelectEpochByCollisionRate)
        {
            return null;
        }

        return -CollisionResolver.CollisionRate(tokenizer.EncodeCodes(content), options.Levels);
    }

    /// <summary>Checks the inputs; returns whether the collaborative regularizer is used.</summary>
    private static bool ValidateInputs(float[] contentVectors, int itemCount, int dimension, float[]? cfEmbeddings, int cfDimension, RqVaeOptions options)
    {
        if (itemCount <= 0 || contentVectors.Length == 0)
        {
            throw new ArgumentException($"No items to tokenize (itemCount = {itemCount}, {contentVectors.Length} values).", nameof(contentVectors));
        }

        RqVaeInputValidation.RequireFiniteMatrix(contentVectors, itemCount, dimension, nameof(contentVectors), "content vector");
        if (itemCount < options.CodebookSize)
        {
            throw new ArgumentException(
                $"{itemCount} items are fewer than CodebookSize ({options.CodebookSize}): k-means cannot place {options.CodebookSize} codes on " +
                $"{itemCount} points, and most codes could never be used. Lower CodebookSize to at most {itemCount}.",
                nameof(itemCount));
        }

        if (options.CollaborativeWeight <= 0)
        {
            return false;
        }

        if (cfEmbeddings is null)
        {
            return false;
        }

        RqVaeInputValidation.RequireFiniteMatrix(cfEmbeddings, itemCount, cfDimension, nameof(cfEmbeddings), "CF embedding");
        return true;
    }

    /// <summary>Logs what the options ask for but this run cannot do: a collaborative weight without CF embeddings, too many diversity clusters.</summary>
    private static void WarnAboutAdjustments(MLContext mlContext, RqVaeOptions options, bool hasCollaborative)
    {
        bool noCollaborative = options.CollaborativeWeight > 0 && !hasCollaborative;
        bool fewerClusters = options.DiversityWeight > 0 && options.EffectiveDiversityClusters < options.DiversityClusters;
        if (!noCollaborative && !fewerClusters)
        {
            return;
        }

        using IChannel channel = ((IHostEnvironment)mlContext).Register(ComponentName).Start("Options");
        if (noCollaborative)
        {
            channel.Warning(MessageSensitivity.None, "{0}",
                $"CollaborativeWeight is {options.CollaborativeWeight} but no CF embeddings were given, so LETTER's collaborative regularizer is off for this run. " +
                "Set SemanticIdTokenizerOptions.CollaborativeColumnName (e.g. the collaborative stage's ItemEmbedding) to use it, or CollaborativeWeight = 0 to silence this.");
        }

        if (fewerClusters)
        {
            channel.Warning(MessageSensitivity.None, "{0}",
                $"DiversityClusters is {options.DiversityClusters} but a codebook of {options.CodebookSize} codes has room for {options.EffectiveDiversityClusters} clusters of at least two codes; the diversity regularizer uses {options.EffectiveDiversityClusters}.");
        }
    }
}
