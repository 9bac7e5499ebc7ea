using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// Trains TokenRec's masked K-way tokenizer on in-memory vectors through the shared <see cref="TrainingLoop"/>. Use it
/// for items (input: CF item embeddings) and for users (input: CF user embeddings) alike — it is the same model; train
/// one per entity type, since the two embedding sets are different inputs.
/// </summary>
internal static class MaskedKWayTrainer
{
    private const string ComponentName = "MaskedKWayTokenizer";

    /// <summary>Trains a tokenizer on <paramref name="count"/> vectors and encodes them.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="vectors">Input vectors, row-major [count × dimension], e.g. 64-d LightGCN embeddings.</param>
    /// <param name="count">Number of vectors; at least <see cref="MaskedKWayOptions.CodebookSize"/>.</param>
    /// <param name="dimension">Features per vector.</param>
    /// <param name="options">Model and training options.</param>
    /// <param name="result">What the training loop did.</param>
    /// <returns>The trained model, whose <see cref="MaskedKWayModel.Codes"/> are the IDs of the training vectors in row order.</returns>
    /// <exception cref="ArgumentException">Empty input, a dimension mismatch, a NaN/infinite value (the row is named), or fewer vectors than codes per way.</exception>
    public static MaskedKWayModel Train(MLContext mlContext, float[] vectors, int count, int dimension, MaskedKWayOptions options, out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        KWayInput.Check(vectors, count, dimension, nameof(vectors));
        options.Validate();
        if (count < options.CodebookSize)
        {
            throw new ArgumentException(
                $"{count} vectors are fewer than CodebookSize = {options.CodebookSize}: most codes could never be used. Lower CodebookSize (e.g. to {LargestPowerOfTwoAtMost(count)}) or tokenize more vectors.",
                nameof(count));
        }

        MaskedKWayOptions requested = options;
        options = options.ForTable(count);
        if (!ReferenceEquals(options, requested))
        {
            using Microsoft.ML.Runtime.IChannel channel = ((Microsoft.ML.Runtime.IHostEnvironment)mlContext).Register(ComponentName).Start("Options");
            channel.Info(Microsoft.ML.Runtime.MessageSensitivity.None, "{0}",
                $"NumberOfEpochs raised from {requested.NumberOfEpochs} to {options.NumberOfEpochs}: {count:N0} vectors at BatchSize {options.BatchSize} make {requested.NumberOfEpochs} epochs fewer than MinimumTrainingSteps = {options.MinimumTrainingSteps:N0} steps (set it to 0 to train exactly NumberOfEpochs).");
        }

        var loop = new TrainingLoop(mlContext, options, ComponentName);
        var (device, seed) = TorchEnvironment.PrepareTraining(mlContext, options, ComponentName);

        var network = new MaskedKWayNetwork(options.ToHyperparameters(dimension));
        try
        {
            network.to(device);
            using Tensor data = tensor(vectors, new long[] { count, dimension }, device: device);
            var initialization = System.Diagnostics.Stopwatch.StartNew(); // part of MaxTrainingTime, like the loop
            if (options.KMeansInit)
            {
                InitializeCodebooks(network, data, options.KMeansIterations, seed, device);
            }

            using (var trainable = new MaskedKWayTrainable(network, data, options))
            {
                result = loop.Run(trainable, seed, data => data.Add(count).Add(dimension).Add(vectors), initialization.Elapsed);
                trainable.Finish();
            }

            network.eval();
            SemanticIdTable codes = MaskedKWayModel.EncodeRows(network, vectors, count, device);
            double error = MaskedKWayModel.ComputeReconstructionError(network, vectors, count, device);
            return new MaskedKWayModel(network, device, codes, error);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Sets every way's codebook to k-means centers of that way's encodings of all vectors (untrained encoders, no masking), with the RQ-VAE's k-means.</summary>
    private static void InitializeCodebooks(MaskedKWayNetwork network, Tensor data, int iterations, int seed, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // A generator of its own, as the RQ-VAE's k-means uses: the draw repeats for a seed even while other code
        // (another training on another thread) draws from torch's global generator.
        using var generator = new Generator((ulong)(uint)seed, device);
        Tensor encodings = network.EncodeWays(data);
        KWayCodebooks codebooks = network.Codebooks;
        for (int way = 0; way < codebooks.Ways; way++)
        {
            codebooks.SetCodebook(way, RqVae.KMeans.Fit(encodings[way], codebooks.CodebookSize, iterations, generator));
        }
    }

    private static int LargestPowerOfTwoAtMost(int value) => value < 2 ? 2 : 1 << (31 - int.LeadingZeroCount(value));
}
