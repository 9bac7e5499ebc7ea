namespace GenRec.Benchmarks;

/// <summary>
/// What the command line asked for: one benchmark, the common options every benchmark understands, and the
/// benchmark's own options (<see cref="IBenchmark.ExtraOptions"/>) as given, by name without the leading <c>--</c>.
/// </summary>
internal sealed record BenchmarkArguments(
    IBenchmark Benchmark,
    string? DataDirectory,
    double? Minutes,
    int Seed,
    string? OutFile,
    IReadOnlyDictionary<string, string> ExtraOptions);
