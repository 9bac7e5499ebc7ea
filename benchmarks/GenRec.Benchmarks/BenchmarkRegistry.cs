using GenRec.Benchmarks.Benchmarks;

namespace GenRec.Benchmarks;

/// <summary>
/// The explicit list of benchmarks. To add one: a class implementing <see cref="IBenchmark"/> in its own file under
/// <c>Benchmarks/</c>, plus one line below. No reflection, so the list is exactly what <c>list</c> and <c>--help</c> print.
/// </summary>
internal static class BenchmarkRegistry
{
    /// <summary>Every benchmark, in the order <c>list</c> shows them.</summary>
    public static IReadOnlyList<IBenchmark> All { get; } = Checked(
    [
        new DataStatsBenchmark(),
        new BaselinesBeautyBenchmark(),
        new SasRecBeautyBenchmark(),
        new GraphLastFmBenchmark(GenRec.MLNet.Collaborative.CollaborativeModelKind.LightGcn),
        new GraphLastFmBenchmark(GenRec.MLNet.Collaborative.CollaborativeModelKind.MatrixFactorization),
        new LightGcnBeautyBenchmark(),
        new TigerBeautyLetterCodesBenchmark(),
        new DecodeLatencyBeautyBenchmark(),
        new PipelineBeautyBenchmark(),
        new PipelineTextBeautyBenchmark(),
        new PipelineShopBenchmark(),
        new LetterCodesStatsBenchmark(),
        new TokenizerBeautyBenchmark(),
        new TokenizerMovieLensBenchmark(),
        new TokenizerAblationBeautyBenchmark(),
        new TokenizerRqKMeansBeautyBenchmark(),
        new TokenizerQualityBeautyBenchmark(),
        new RetrievalLastFmBenchmark(),
        RetrievalLastFmBenchmark.MovieLens(),
        new GenerativeVariantsBeautyBenchmark(),
        new SweepMovieLensBenchmark(),
        new ServingBeautyBenchmark(),
        new DecodeBatchingBenchmark(),
        new TrainBatchingBenchmark(),
        new PresetsMovieLensBenchmark(),
        // Add new benchmarks here (e.g. sasrec-beauty, lightgcn-lastfm, mf-lastfm), one line each.
    ]);

    /// <summary>Fails at start-up, not at run time, when a name is malformed or registered twice.</summary>
    private static IReadOnlyList<IBenchmark> Checked(IReadOnlyList<IBenchmark> benchmarks)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "list" };
        foreach (IBenchmark benchmark in benchmarks)
        {
            if (string.IsNullOrEmpty(benchmark.Name) || !benchmark.Name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                throw new InvalidOperationException($"{benchmark.GetType().Name}.Name '{benchmark.Name}' must use only a-z, 0-9 and '-'.");
            }

            if (!seen.Add(benchmark.Name))
            {
                throw new InvalidOperationException($"Benchmark name '{benchmark.Name}' is registered twice (or is reserved).");
            }

            foreach (string option in benchmark.ExtraOptions)
            {
                if (BenchmarkCommandLine.CommonOptions.Contains(option))
                {
                    throw new InvalidOperationException($"{benchmark.Name} declares --{option}, which is a common option.");
                }
            }
        }

        return benchmarks;
    }
}
