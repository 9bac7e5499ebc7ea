namespace GenRec.Benchmarks;

/// <summary>
/// One benchmark: a name to run it by, a one-line description for <c>list</c>, and a <see cref="Run"/> that measures
/// something and returns the figures that end up on the <c>RESULT</c> line.
/// </summary>
/// <remarks>
/// To add a benchmark: put a class implementing this interface in its own file under <c>Benchmarks/</c> and add one
/// line to <see cref="BenchmarkRegistry.All"/>. Progress goes through <see cref="BenchmarkContext.Log"/>; never write
/// to the console after returning, because the <c>RESULT</c> line must be the last line of standard output.
/// </remarks>
internal interface IBenchmark
{
    /// <summary>The command-line name: lower case, words separated by '-', e.g. <c>baselines-beauty</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured, on which data and under which protocol.</summary>
    string Description { get; }

    /// <summary>
    /// Benchmark-specific options (names without the leading <c>--</c>) read through
    /// <see cref="BenchmarkContext.Option(string)"/>. Any other option that is not a common one is rejected before
    /// the benchmark starts, so a typo cannot silently fall back to a default.
    /// </summary>
    IReadOnlyCollection<string> ExtraOptions => [];

    /// <summary>Runs the benchmark and returns its figures, in the order they should be printed.</summary>
    BenchmarkResult Run(BenchmarkContext context);
}
