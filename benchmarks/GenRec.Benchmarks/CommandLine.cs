using System.Globalization;

namespace GenRec.Benchmarks;

/// <summary>
/// The parsed command line: <c>&lt;name&gt; [--data &lt;dir&gt;] [--minutes &lt;n&gt;] [--seed &lt;n&gt;] [--out &lt;file&gt;]
/// [--&lt;benchmark option&gt; &lt;value&gt; ...]</c>. Options accept <c>--name value</c> and <c>--name=value</c>.
/// </summary>
internal sealed record CommandLine(
    string? Name,
    string? DataDirectory,
    double? Minutes,
    int Seed,
    string? OutFile,
    IReadOnlyDictionary<string, string> ExtraOptions)
{
    /// <summary>The options every benchmark understands.</summary>
    public static readonly IReadOnlyList<string> CommonOptions = ["data", "minutes", "seed", "out"];

    public const string Usage =
        "usage: dotnet run -c Release --project benchmarks/GenRec.Benchmarks -- <name> [options]\n" +
        "       dotnet run -c Release --project benchmarks/GenRec.Benchmarks -- list\n" +
        "options:\n" +
        "  --data <dir>     datasets folder (default: ../shared/datasets beside the repository, or $GENREC_DATASETS)\n" +
        "  --minutes <n>    time budget; how it is used depends on the benchmark\n" +
        "  --seed <n>       seed for everything random (default 0)\n" +
        "  --out <file>     also append the RESULT line to this file";

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a precise message on any mistake.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? name = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name != null)
                {
                    throw new UsageException($"Unexpected argument '{arg}': the benchmark name is already '{name}'.");
                }

                name = arg;
                continue;
            }

            string key = arg[2..];
            string? value = null;
            int equals = key.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = key[(equals + 1)..];
                key = key[..equals];
            }
            else if (key is "help")
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }

            if (key.Length == 0)
            {
                throw new UsageException($"'{arg}' is not an option.");
            }

            if (value is null)
            {
                throw new UsageException($"--{key} needs a value.");
            }

            if (!options.TryAdd(key, value))
            {
                throw new UsageException($"--{key} is given more than once.");
            }
        }

        if (options.Remove("help"))
        {
            name = "help";
        }

        string? data = Take(options, "data");
        if (data is { Length: 0 })
        {
            throw new UsageException("--data needs a folder.");
        }

        double? minutes = Take(options, "minutes") is { } m
            ? double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out double budget) && double.IsFinite(budget) && budget > 0
                ? budget
                : throw new UsageException($"--minutes must be a positive number; got '{m}'.")
            : null;
        int seed = Take(options, "seed") is { } s
            ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
                ? parsed
                : throw new UsageException($"--seed must be an integer; got '{s}'.")
            : 0;
        string? outFile = Take(options, "out");
        if (outFile is { Length: 0 })
        {
            throw new UsageException("--out needs a file name.");
        }

        return new CommandLine(name, data, minutes, seed, outFile, options);
    }

    private static string? Take(Dictionary<string, string> options, string key) =>
        options.Remove(key, out string? value) ? value : null;
}
