using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Decoding;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>decode-batching</c>: why the decoder caps each pass at <see cref="GenerativeDecoder.TokensPerBatch"/> sequence
/// positions. Times the history pass of a decoder-only network with the default sizes (d 128, 4 layers, 6 heads of 64,
/// feed-forward 1,024; untrained: the cost does not depend on the weights) over the same histories in passes of 1, 8,
/// 32 and 128 users, one torch thread. Synthetic codes (4 levels), --history items per user (default 20, i.e. 80 tokens).
/// </summary>
internal sealed class DecodeBatchingBenchmark : IBenchmark
{
    private static readonly int[] PassSizes = [1, 8, 32, 128];

    public string Name => "decode-batching";

    public string Description => "ms per user of a decoder-only history pass in passes of 1, 8, 32, 128 users (why decoding caps tokens per pass)";

    public IReadOnlyCollection<string> ExtraOptions => ["history", "users", "repeats"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        torch.set_num_threads(1);
        int users = context.IntOption("users", 256), history = context.IntOption("history", 20), repeats = context.IntOption("repeats", 3);
        var random = new Random(context.Seed);
        const int items = 5000;
        var codes = new SemanticIdTable(
            Enumerable.Range(0, items).Select(i => new[] { random.Next(256), random.Next(256), random.Next(256), i % 8 }).ToArray(), [256, 256, 256, 8]);
        var options = new GenerativeRecommenderOptions { Architecture = GenerativeArchitecture.DecoderOnly, MaxHistoryLength = Math.Max(history, 1) };
        var vocabulary = new GenerativeVocabulary(codes.CodebookSizes, useUserToken: false, userHashBuckets: 0);
        using var network = new DecoderOnlyNetwork(vocabulary, options);
        network.eval();
        var table = new ItemTokenTable(codes, vocabulary, CPU);
        int[][] histories = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, history).Select(_ => random.Next(items)).ToArray()).ToArray();
        using var noGrad = no_grad();

        // Best of `repeats` rounds (each size once per round, sizes interleaved) against the machine's noise.
        var best = PassSizes.ToDictionary(size => size, _ => double.PositiveInfinity);
        Pass(network, table, vocabulary, histories, 8); // warm-up
        for (int round = 0; round < repeats; round++)
        {
            foreach (int size in PassSizes)
            {
                best[size] = Math.Min(best[size], Pass(network, table, vocabulary, histories, size));
            }

            context.Log($"round {round + 1}: " + string.Join(", ", PassSizes.Select(size => $"{size} users/pass {best[size]:F2} ms/user")));
        }

        var result = new BenchmarkResult();
        foreach (int size in PassSizes)
        {
            result.Add($"ms_per_user_b{size}", best[size].ToString("F2", CultureInfo.InvariantCulture));
        }

        return result
            .Count("tokens_per_user", history * vocabulary.Levels)
            .Count("tokens_per_batch", GenerativeDecoder.TokensPerBatch)
            .Add("b128_over_b8", (best[128] / best[8]).ToString("F2", CultureInfo.InvariantCulture))
            .Seconds("seconds", total.Elapsed);
    }

    /// <summary>Milliseconds per user for the history pass (the network's <c>StartDecoding</c>) in passes of <paramref name="size"/> users.</summary>
    private static double Pass(DecoderOnlyNetwork network, ItemTokenTable table, GenerativeVocabulary vocabulary, int[][] histories, int size)
    {
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < histories.Length; start += size)
        {
            using var scope = NewDisposeScope();
            var slices = histories.Skip(start).Take(size).Select((h, i) => new HistorySlice(start + i, h, 0, h.Length)).ToList();
            HistoryInputs inputs = HistoryInputs.Build(slices, vocabulary, CPU, withNextItems: false);
            using DecodingState state = network.StartDecoding(inputs, table, useCache: true);
        }

        return clock.Elapsed.TotalMilliseconds / histories.Length;
    }
}
