using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GenRec.Benchmarks;

/// <summary>
/// The benchmarks' command line on System.CommandLine: <c>&lt;name&gt; [--data &lt;dir&gt;] [--minutes &lt;n&gt;]
/// [--seed &lt;n&gt;] [--out &lt;file&gt;] [--&lt;benchmark option&gt; &lt;value&gt; ...]</c>, one subcommand per
/// registered benchmark with its own options, plus <c>list</c>. <c>--help</c> shows the benchmarks, and
/// <c>&lt;name&gt; --help</c> that benchmark's options. Options accept <c>--name value</c> and <c>--name=value</c>.
/// </summary>
internal static class BenchmarkCommandLine
{
    /// <summary>The options every benchmark understands (names without <c>--</c>); a benchmark may not declare them again.</summary>
    public static readonly IReadOnlyList<string> CommonOptions = ["data", "minutes", "seed", "out"];

    /// <summary>The common options; recursive, so they may come before or after the benchmark's name.</summary>
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Datasets folder (default: ../shared/datasets beside the repository, or $GENREC_DATASETS)",
        HelpName = "dir",
        Recursive = true,
        CustomParser = result => ParseData(result),
    };

    /// <inheritdoc cref="Data"/>
    public static readonly Option<double?> Minutes = new("--minutes")
    {
        Description = "Time budget; how it is used depends on the benchmark",
        HelpName = "n",
        Recursive = true,
        CustomParser = result => ParseMinutes(result),
    };

    /// <inheritdoc cref="Data"/>
    public static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed for everything random",
        HelpName = "n",
        Recursive = true,
        DefaultValueFactory = _ => 0,
        CustomParser = result => ParseSeed(result),
    };

    /// <inheritdoc cref="Data"/>
    public static readonly Option<string?> Out = new("--out")
    {
        Description = "Also append the RESULT line to this file",
        HelpName = "file",
        Recursive = true,
        CustomParser = result => NonEmpty(result, "--out needs a file name."),
    };

    /// <summary>
    /// The command tree over <paramref name="benchmarks"/>: each benchmark's subcommand calls <paramref name="run"/>
    /// with its parsed arguments; <c>list</c> writes the benchmarks to <paramref name="output"/>.
    /// </summary>
    public static RootCommand Create(IReadOnlyList<IBenchmark> benchmarks, Func<BenchmarkArguments, int> run, TextWriter output)
    {
        var root = new RootCommand("GenRec.MLNet benchmarks: dotnet run -c Release --project benchmarks/GenRec.Benchmarks -- <name> [options]. " +
            "The last line of standard output is 'RESULT <name> key=value ...'; docs/benchmarks.md records every figure.")
        {
            Data, Minutes, Seed, Out,
        };
        var list = new Command("list", "List the benchmarks");
        list.SetAction(_ =>
        {
            BenchmarkListing.Write(output, benchmarks);
            return 0;
        });
        root.Subcommands.Add(list);
        foreach (IBenchmark benchmark in benchmarks)
        {
            root.Subcommands.Add(Create(benchmark, run));
        }

        return root;
    }

    private static Command Create(IBenchmark benchmark, Func<BenchmarkArguments, int> run)
    {
        var command = new Command(benchmark.Name, benchmark.Description);
        // The benchmark reads and checks its own options (BenchmarkContext.IntOption, ...), with its own defaults, so
        // here they are text; an option the benchmark does not declare is a parse error before anything runs. Their help
        // lines are in BenchmarkOptionHelp, one per name.
        Option<string>[] extra = [.. benchmark.ExtraOptions.Select(name => new Option<string>("--" + name)
        {
            Description = BenchmarkOptionHelp.Describe(benchmark.Name, name),
            HelpName = "value",
        })];
        foreach (Option<string> option in extra)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => run(Arguments(parse, benchmark, extra)));
        return command;
    }

    private static BenchmarkArguments Arguments(ParseResult parse, IBenchmark benchmark, IReadOnlyList<Option<string>> extra)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Option<string> option in extra)
        {
            if (parse.GetResult(option) is not null && parse.GetValue(option) is { } value)
            {
                options[option.Name[2..]] = value;
            }
        }

        return new BenchmarkArguments(benchmark, parse.GetValue(Data), parse.GetValue(Minutes), parse.GetValue(Seed), parse.GetValue(Out), options);
    }

    private static string? ParseData(ArgumentResult result)
    {
        string? folder = NonEmpty(result, "--data needs a folder.");
        if (folder is not null && !Directory.Exists(folder))
        {
            result.AddError($"--data {folder}: the folder {Path.GetFullPath(folder)} does not exist.");
        }

        return folder;
    }

    private static double? ParseMinutes(ArgumentResult result)
    {
        string text = Single(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double minutes) && double.IsFinite(minutes) && minutes > 0)
        {
            return minutes;
        }

        result.AddError($"--minutes must be a positive number; got '{text}'.");
        return null;
    }

    private static int ParseSeed(ArgumentResult result)
    {
        string text = Single(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
        {
            return seed;
        }

        result.AddError($"--seed must be an integer; got '{text}'.");
        return 0;
    }

    private static string? NonEmpty(ArgumentResult result, string error)
    {
        string text = Single(result);
        if (text.Length == 0)
        {
            result.AddError(error);
            return null;
        }

        return text;
    }

    // The option's arity is one value, so the parser has already refused none or several.
    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}
