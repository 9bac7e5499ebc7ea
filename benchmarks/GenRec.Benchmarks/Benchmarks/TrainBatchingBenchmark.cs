using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>train-batching</c>: why training computes a batch in passes of at most a few thousand sequence positions
/// (<c>GenerativeTrainable.TokensPerPass</c>). Times one training step's forward and backward (no optimizer) of an
/// encoder-decoder network with the default sizes (d 128, 4+4 layers, 6 heads of 64, feed-forward 1,024; untrained)
/// over the same 512 prefixes of --history items (default 20, i.e. 80 tokens), in passes of 16, 64 and 256 examples,
/// best of --repeats rounds, one torch thread. Synthetic codes (4 levels).
/// </summary>
internal sealed class TrainBatchingBenchmark : IBenchmark
{
    private static readonly int[] PassSizes = [16, 64, 256];

    public string Name => "train-batching";

    public string Description => "ms per example of an encoder-decoder training pass (forward + backward) in passes of 16, 64, 256 prefixes";

    public IReadOnlyCollection<string> ExtraOptions => ["history", "repeats"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        torch.set_num_threads(1);
        int history = context.IntOption("history", 20), repeats = context.IntOption("repeats", 2);
        var random = new Random(context.Seed);
        const int items = 5000, examples = 512;
        var codes = new SemanticIdTable(
            Enumerable.Range(0, items).Select(i => new[] { random.Next(256), random.Next(256), random.Next(256), i % 8 }).ToArray(), [256, 256, 256, 8]);
        var options = new GenerativeRecommenderOptions { Architecture = GenerativeArchitecture.EncoderDecoder, MaxHistoryLength = Math.Max(history, 1) };
        var vocabulary = new GenerativeVocabulary(codes.CodebookSizes, useUserToken: false, userHashBuckets: 0);
        using var network = new EncoderDecoderNetwork(vocabulary, options);
        network.train();
        var table = new ItemTokenTable(codes, vocabulary, CPU);
        int[][] sequences = Enumerable.Range(0, examples).Select(_ => Enumerable.Range(0, history + 1).Select(_ => random.Next(items)).ToArray()).ToArray();

        var best = PassSizes.ToDictionary(size => size, _ => double.PositiveInfinity);
        for (int round = 0; round < repeats; round++)
        {
            foreach (int size in PassSizes)
            {
                best[size] = Math.Min(best[size], Pass(network, table, vocabulary, sequences, history, size));
            }

            context.Log($"round {round + 1}: " + string.Join(", ", PassSizes.Select(size => $"{size} examples/pass {best[size]:F2} ms/example")));
        }

        var result = new BenchmarkResult();
        foreach (int size in PassSizes)
        {
            result.Add($"ms_per_example_b{size}", best[size].ToString("F2", CultureInfo.InvariantCulture));
        }

        return result
            .Count("tokens_per_example", history * vocabulary.Levels)
            .Add("b256_over_b64", (best[256] / best[64]).ToString("F2", CultureInfo.InvariantCulture))
            .Seconds("seconds", total.Elapsed);
    }

    /// <summary>Milliseconds per example for loss and backward in passes of <paramref name="size"/> prefixes.</summary>
    private static double Pass(EncoderDecoderNetwork network, ItemTokenTable table, GenerativeVocabulary vocabulary, int[][] sequences, int history, int size)
    {
        network.zero_grad();
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < sequences.Length; start += size)
        {
            using var scope = NewDisposeScope();
            int end = Math.Min(sequences.Length, start + size);
            var slices = Enumerable.Range(start, end - start).Select(i => new HistorySlice(i, sequences[i], 0, history)).ToList();
            HistoryInputs inputs = HistoryInputs.Build(slices, vocabulary, CPU, withNextItems: false);
            Tensor targets = tensor(Enumerable.Range(start, end - start).Select(i => (long)sequences[i][history] + 1).ToArray());
            network.ComputeLoss(inputs, table, targets, 1.0).backward();
        }

        return clock.Elapsed.TotalMilliseconds / sequences.Length;
    }
}
