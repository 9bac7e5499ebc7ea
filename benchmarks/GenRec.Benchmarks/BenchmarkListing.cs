namespace GenRec.Benchmarks;

/// <summary>The output of <c>list</c>: every benchmark with its one-line description, in registry order.</summary>
internal static class BenchmarkListing
{
    public static void Write(TextWriter output, IReadOnlyList<IBenchmark> benchmarks)
    {
        output.WriteLine("benchmarks:");
        foreach (string line in BenchmarkTables.Render(BenchmarkTables.Listing(benchmarks)))
        {
            output.WriteLine("  " + line);
        }
    }
}
