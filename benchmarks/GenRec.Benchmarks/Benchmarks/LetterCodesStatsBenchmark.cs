using System.Diagnostics;
using GenRec.MLNet.Tokenization;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>letter-codes-stats</c>: the code statistics of the semantic IDs the LETTER authors released for Beauty
/// (<c>beauty/Beauty.letter-index.json</c>), on their own. They are the reference every tokenizer here is read
/// against (197 of 256 first-level codes used, 0.11% duplicate rate), so they are computed by the same
/// <see cref="CodeStatistics"/> that measures our codes rather than copied from the paper. Also draws the first-level
/// histogram (<c>--png</c>, default <c>benchmarks/out/letter-beauty-l1.png</c>, which is git-ignored).
/// </summary>
internal sealed class LetterCodesStatsBenchmark : IBenchmark
{
    public string Name => "letter-codes-stats";

    public string Description => "Code statistics of LETTER's released Beauty semantic IDs + level-1 histogram PNG (--png)";

    public IReadOnlyCollection<string> ExtraOptions => ["png"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        var (codes, importTime) = context.Time("import beauty/Beauty.letter-index.json", () =>
            SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json")));
        var (statistics, statsTime) = context.Time("code statistics", () => CodeStatistics.Compute(codes));
        context.LogCodes(statistics);

        string png = context.Option("png") ?? Path.Combine(BeautySasRecEmbeddings.OutputFolder(), "letter-beauty-l1.png");
        var (_, plotTime) = context.Time($"write {png}", () =>
        {
            new CodeHistogramPlot { Title = "LETTER's released Beauty codes, level 1" }.SavePng(png, codes, "LETTER");
            return png;
        });
        context.Log($"{png}: {new FileInfo(png).Length / 1024.0:F0} KiB");

        var result = new BenchmarkResult();
        foreach (var (key, value) in statistics.ToKeyValues())
        {
            result.Add(key, value);
        }

        return result
            .Seconds("import_seconds", importTime)
            .Seconds("stats_seconds", statsTime)
            .Seconds("plot_seconds", plotTime)
            .Seconds("seconds", total.Elapsed);
    }
}
