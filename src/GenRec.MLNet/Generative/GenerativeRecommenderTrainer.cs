using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Decoding;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Trains the generative recommender (TIGER / LETTER, or the decoder-only variant) on in-memory sequences through
/// the shared <see cref="TrainingLoop"/>. The ML.NET estimator uses this after reading its IDataView; benchmarks
/// and tools may call it directly.
/// </summary>
internal static class GenerativeRecommenderTrainer
{
    private const string ComponentName = "GenerativeRecommender";

    /// <summary>Trains on a leave-one-out split: its training sequences, validating on its validation cases.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="codes">Semantic IDs of the split's items.</param>
    /// <param name="split">The split (training sequences = all but each user's last two items).</param>
    /// <param name="options">Model and training options.</param>
    /// <param name="result">What the training loop did.</param>
    public static GenerativeRecommenderModel Train(MLContext mlContext, SemanticIdTable codes, LeaveOneOutSplit split, GenerativeRecommenderOptions options, out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(split);
        var validation = split.ValidationCases.Select(c => new EvaluationCase(c.UserIndex, c.History, new[] { c.Target })).ToArray();
        return Train(mlContext, codes, split.TrainSequences, validation, options, out result);
    }

    /// <summary>Trains on every prefix (or decoder-only window) of <paramref name="trainSequences"/>.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="codes">Semantic IDs of every item index that occurs.</param>
    /// <param name="trainSequences">Per user (index = user index), the training items, oldest first.</param>
    /// <param name="validationCases">Cases for validation (the ValidationMetric, Recall@10 by default) and early stopping; null = none.</param>
    /// <param name="options">Model and training options.</param>
    /// <param name="result">What the training loop did.</param>
    public static GenerativeRecommenderModel Train(
        MLContext mlContext,
        SemanticIdTable codes,
        IReadOnlyList<int[]> trainSequences,
        IReadOnlyList<EvaluationCase>? validationCases,
        GenerativeRecommenderOptions options,
        out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(trainSequences);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int[] itemCounts = CountItems(trainSequences, codes.ItemCount);
        options = options.Clone();
        var loop = new TrainingLoop(mlContext, options, ComponentName);
        var (device, seed) = TorchEnvironment.PrepareTraining(mlContext, options, ComponentName);

        IReadOnlyList<EvaluationCase>? validation = validationCases;
        if (validation is { Count: > 0 } && options.MaxValidationUsers > 0 && validation.Count > options.MaxValidationUsers)
        {
            var random = new Random(seed);
            validation = validation.OrderBy(_ => random.Next()).Take(options.MaxValidationUsers).OrderBy(c => c.UserIndex).ToArray();
        }

        GenerativeNetwork network = CreateNetwork(options, codes);
        ItemTokenTable? table = null;
        try
        {
            network.to(device);
            table = new ItemTokenTable(codes, network.Vocabulary, device);
            var examples = new GenerativeExamples(trainSequences, options.MaxHistoryLength, options.Architecture == GenerativeArchitecture.DecoderOnly);
            var trie = SemanticIdTrie.FromTable(codes, (a, b) => itemCounts[a] != itemCounts[b] ? itemCounts[b].CompareTo(itemCounts[a]) : a.CompareTo(b));
            var decoder = new GenerativeDecoder(network, table, trie, options, device, () => codes.ItemCount);
            var trainable = new GenerativeTrainable(network, table, examples, options, decoder, validation, device);
            result = loop.Run(trainable, seed, data => data.Add(codes).Add(trainSequences).Add(validation));
            return new GenerativeRecommenderModel(options, codes, network, table, itemCounts, device);
        }
        catch
        {
            table?.Dispose();
            network.Dispose();
            throw;
        }
    }

    /// <summary>The untrained network for <paramref name="options"/> and the codebook sizes of <paramref name="codes"/>.</summary>
    internal static GenerativeNetwork CreateNetwork(GenerativeRecommenderOptions options, SemanticIdTable codes)
    {
        var vocabulary = new GenerativeVocabulary(codes.CodebookSizes, options.UseUserToken, options.UserHashBuckets);
        return options.Architecture == GenerativeArchitecture.DecoderOnly
            ? new DecoderOnlyNetwork(vocabulary, options)
            : new EncoderDecoderNetwork(vocabulary, options);
    }

    private static int[] CountItems(IReadOnlyList<int[]> sequences, int itemCount)
    {
        var counts = new int[itemCount];
        for (int u = 0; u < sequences.Count; u++)
        {
            foreach (int item in sequences[u] ?? throw new ArgumentException($"The sequence of user {u} is null.", nameof(sequences)))
            {
                if ((uint)item >= (uint)itemCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(sequences), $"User {u} has item {item}, but the semantic ID table has {itemCount} items.");
                }

                counts[item]++;
            }
        }

        return counts;
    }
}
