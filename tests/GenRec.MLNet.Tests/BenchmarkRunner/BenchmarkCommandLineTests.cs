using System.CommandLine;
using FluentAssertions;
using GenRec.Benchmarks;
using Xunit;

namespace GenRec.MLNet.Tests.BenchmarkRunner;

/// <summary>
/// The benchmarks' command line on System.CommandLine: every registered name and option is accepted as before, help
/// lists them, mistakes are one line and exit 2, and a run still ends with the plain RESULT line.
/// </summary>
public sealed class BenchmarkCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genrec-bench-cli-").FullName;

    [Fact]
    public void Help_lists_every_benchmark_and_the_common_options()
    {
        Invocation run = Invoke(BenchmarkRegistry.All, "--help");

        run.Code.Should().Be(0, run.ToString());
        run.Output.Should().Contain("--data").And.Contain("--minutes").And.Contain("--seed").And.Contain("--out").And.Contain("list");
        foreach (IBenchmark benchmark in BenchmarkRegistry.All)
        {
            run.Output.Should().Contain(benchmark.Name);
        }
    }

    [Fact]
    public void A_benchmarks_help_lists_each_of_its_own_options()
    {
        foreach (IBenchmark benchmark in BenchmarkRegistry.All)
        {
            Invocation run = Invoke(BenchmarkRegistry.All, benchmark.Name, "--help");
            run.Code.Should().Be(0, run.ToString());
            foreach (string option in benchmark.ExtraOptions)
            {
                run.Output.Should().Contain($"--{option} <value>", $"{benchmark.Name} declares --{option}");
            }
        }
    }

    [Fact]
    public void Every_declared_option_has_its_own_help_line()
    {
        string[] missing = [.. BenchmarkRegistry.All
            .SelectMany(benchmark => benchmark.ExtraOptions.Select(option => (Benchmark: benchmark.Name, Option: option)))
            .Where(declared => string.IsNullOrWhiteSpace(BenchmarkOptionHelp.Descriptions.GetValueOrDefault(declared.Option)))
            .Select(declared => $"{declared.Benchmark} --{declared.Option}")];
        missing.Should().BeEmpty("every option a benchmark declares needs its line in BenchmarkOptionHelp");

        Invocation run = Invoke(BenchmarkRegistry.All, "retrieval-lastfm", "--help");
        run.Output.Should().Contain(BenchmarkOptionHelp.Descriptions["lr"]).And.NotContain("own option");
        BenchmarkOptionHelp.Describe("fake", "mode").Should().Be("fake's own option (docs/benchmarks.md gives its default)");
    }

    [Fact]
    public void List_prints_every_benchmark_with_its_description()
    {
        Invocation run = Invoke(BenchmarkRegistry.All, "list");

        run.Code.Should().Be(0);
        string[] lines = run.Output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        lines[0].Should().Be("benchmarks:");
        lines.Skip(1).Should().HaveCount(BenchmarkRegistry.All.Count);
        lines.Should().Contain(l => l.Contains("sweep-movielens") && l.Contains("best vs default options on test"));
    }

    [Fact]
    public void Common_and_own_options_parse_in_both_spellings_and_on_either_side_of_the_name()
    {
        BenchmarkArguments? seen = null;
        RootCommand root = BenchmarkCommandLine.Create(BenchmarkRegistry.All, a => { seen = a; return 0; }, TextWriter.Null);

        root.Parse(["--seed", "7", "tiger-beauty-letter-codes", "--epochs=3", "--minutes", "2.5", "--data", _folder, "--out=r.txt", "--via", "trainer"]).Invoke().Should().Be(0);

        seen!.Benchmark.Name.Should().Be("tiger-beauty-letter-codes");
        seen.Seed.Should().Be(7);
        seen.Minutes.Should().Be(2.5);
        seen.DataDirectory.Should().Be(_folder);
        seen.OutFile.Should().Be("r.txt");
        seen.ExtraOptions.Should().BeEquivalentTo(new Dictionary<string, string> { ["epochs"] = "3", ["via"] = "trainer" });

        // Left out: seed 0, no budget, no data folder or out file, and none of the benchmark's own options, so the
        // benchmark falls back to its own defaults.
        root.Parse(["sweep-movielens"]).Invoke().Should().Be(0);
        seen.Benchmark.Name.Should().Be("sweep-movielens");
        seen.Seed.Should().Be(0);
        seen.Minutes.Should().BeNull();
        seen.DataDirectory.Should().BeNull();
        seen.OutFile.Should().BeNull();
        seen.ExtraOptions.Should().BeEmpty();
    }

    [Theory]
    [InlineData(new string[0], "Name a benchmark to run.")]
    [InlineData(new[] { "nope" }, "Unknown benchmark 'nope'.")]
    [InlineData(new[] { "sweep-movielens", "--epochs", "3" }, "'--epochs'")]
    [InlineData(new[] { "sweep-movielens", "--minutes", "abc" }, "--minutes must be a positive number; got 'abc'.")]
    [InlineData(new[] { "sweep-movielens", "--minutes", "0" }, "--minutes must be a positive number; got '0'.")]
    [InlineData(new[] { "--seed", "x", "sweep-movielens" }, "--seed must be an integer; got 'x'.")]
    [InlineData(new[] { "sweep-movielens", "--seed", "1", "--seed", "2" }, "--seed")]
    [InlineData(new[] { "sweep-movielens", "--max-trials" }, "--max-trials")]
    [InlineData(new[] { "sweep-movielens", "--data", "/no/such/folder" }, "--data /no/such/folder: the folder /no/such/folder does not exist.")]
    public void Mistakes_print_one_line_and_exit_2_before_anything_runs(string[] args, string expected)
    {
        Invocation run = Invoke(BenchmarkRegistry.All, args);

        run.Code.Should().Be(BenchmarkProgram.BadCommandLine, run.ToString());
        run.Output.Should().BeEmpty("the machine lines come only once a benchmark starts");
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain(expected);
    }

    [Fact]
    public void A_run_ends_with_the_plain_RESULT_line_and_out_appends_it()
    {
        string outFile = Path.Combine(_folder, "results.txt");
        var fake = new FakeBenchmark(context => new BenchmarkResult().Metric("recall_10", 0.125).Count("seed", context.Seed).Add("mode", context.Option("mode") ?? "default"));

        Invocation run = Invoke([fake], "fake", "--seed", "5", "--mode", "fast", "--out", outFile);

        run.Code.Should().Be(0, run.ToString());
        run.Output.Should().StartWith("benchmark: fake - a benchmark for the tests");
        run.Output.TrimEnd().Split('\n')[^1].TrimEnd('\r').Should().Be("RESULT fake recall_10=0.1250 seed=5 mode=fast");
        File.ReadAllText(outFile).Should().Be("RESULT fake recall_10=0.1250 seed=5 mode=fast" + Environment.NewLine);
    }

    [Fact]
    public void A_bad_value_the_benchmark_finds_in_its_own_option_is_one_line_and_exit_2()
    {
        var fake = new FakeBenchmark(context => new BenchmarkResult().Count("n", context.IntOption("mode", 1)));

        Invocation run = Invoke([fake], "fake", "--mode", "many");

        run.Code.Should().Be(BenchmarkProgram.BadCommandLine, run.ToString());
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Be("error: --mode must be an integer; got 'many'. ('fake --help' lists its options)");
        run.Output.Should().NotContain("RESULT");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Invocation Invoke(IReadOnlyList<IBenchmark> benchmarks, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = BenchmarkProgram.Run(args, benchmarks, output, error);
        return new Invocation(code, output.ToString(), error.ToString());
    }

    private sealed record Invocation(int Code, string Output, string Error)
    {
        public override string ToString() => $"exit {Code}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    private sealed class FakeBenchmark(Func<BenchmarkContext, BenchmarkResult> run) : IBenchmark
    {
        public string Name => "fake";

        public string Description => "a benchmark for the tests";

        public IReadOnlyCollection<string> ExtraOptions => ["mode"];

        public BenchmarkResult Run(BenchmarkContext context) => run(context);
    }
}
