using GenRec.MLNet.Collaborative.Models;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// Trains a collaborative model on in-memory data through the shared <see cref="TrainingLoop"/>. The ML.NET
/// estimator uses this after reading its IDataView; benchmarks and the CLI may call it directly.
/// </summary>
internal static class CollaborativeEmbeddingTrainer
{
    private const string ComponentName = "CollaborativeEmbedding";

    /// <summary>Trains the model described by <paramref name="options"/> on <paramref name="data"/>.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="data">Training sequences and optional validation cases.</param>
    /// <param name="options">Model and training options.</param>
    /// <param name="fullHistories">Histories used for the final user embeddings (defaults to the training sequences).</param>
    /// <param name="result">What the training loop did.</param>
    public static CollaborativeEmbeddingModel Train(MLContext mlContext, CollaborativeTrainingData data, CollaborativeEmbeddingOptions options, int[][]? fullHistories, out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loop = new TrainingLoop(mlContext, options, ComponentName);
        var (device, seed) = TorchEnvironment.PrepareTraining(mlContext, options, ComponentName);
        int[][] histories = fullHistories ?? data.TrainSequences;

        if (options.Model == CollaborativeModelKind.SasRec)
        {
            var network = new SasRecNetwork(data.ItemCount, options.Dimension, options.MaxHistoryLength, options.Layers, options.Heads, options.Dropout, options.RecencyPositions);
            try
            {
                network.to(device);
                var trainable = new SequenceTrainable(network, data, options, device, () => new CollaborativeScorer(network, device));
                result = loop.Run(trainable, seed, DescribeData(data));
                network.eval();
                return new CollaborativeEmbeddingModel(options.Model, new CollaborativeScorer(network, device), network, data.UserCount, histories);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        int layers = options.Model == CollaborativeModelKind.LightGcn ? options.GraphLayers : 0;
        using var graph = new GraphEmbeddingNetwork(data.UserCount, data.ItemCount, options.Dimension, layers);
        graph.to(device);
        CollaborativeScorer? validationScorer = null;
        var graphTrainable = new GraphTrainable(graph, data, options, device, () =>
        {
            validationScorer?.Dispose();
            validationScorer = new CollaborativeScorer(graph, device);
            return validationScorer;
        });
        try
        {
            result = loop.Run(graphTrainable, seed, DescribeData(data));
        }
        finally
        {
            validationScorer?.Dispose();
        }

        return new CollaborativeEmbeddingModel(options.Model, new CollaborativeScorer(graph, device), null, data.UserCount, histories);
    }

    private static Action<TrainingDataFingerprint> DescribeData(CollaborativeTrainingData data) => fingerprint =>
        fingerprint.Add(data.UserCount).Add(data.ItemCount).Add(data.TrainSequences).Add(data.ValidationCases);
}
