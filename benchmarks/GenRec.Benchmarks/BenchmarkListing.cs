namespace GenRec.Benchmarks;

/// <summary>The output of <c>list</c>: every benchmark with its one-line description, in registry order.</summary>
internal static class BenchmarkListing
{
    public static void Write(TextWriter output, IReadOnlyList<IBenchmark> benchmarks)
    {
        output.WriteLine("benchmarks:");
        int width = benchmarks.Max(b => b.Name.Length);
        foreach (IBenchmark benchmark in benchmarks)
        {
            output.WriteLine($"  {benchmark.Name.PadRight(width)}  {benchmark.Description}");
        }
    }
}
