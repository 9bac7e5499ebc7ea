using System.CommandLine;
using System.CommandLine.Parsing;

namespace GenRec.Benchmarks;

/// <summary>Parses the command line, prints the machine, runs one benchmark and prints its RESULT line last.</summary>
internal static class BenchmarkProgram
{
    /// <summary>Exit code of a run that printed its RESULT line (or of <c>list</c> and <c>--help</c>).</summary>
    public const int Success = 0;

    /// <summary>Exit code of a benchmark that failed (a missing dataset file, an exception).</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a bad command line: unknown benchmark or option, a bad value.</summary>
    public const int BadCommandLine = 2;

    public static int Run(string[] args) => Run(args, BenchmarkRegistry.All, Console.Out, Console.Error);

    /// <summary>
    /// Runs the command line <paramref name="args"/> over <paramref name="benchmarks"/> (the registry's, or a test's),
    /// writing to <paramref name="output"/> and <paramref name="error"/>.
    /// </summary>
    public static int Run(string[] args, IReadOnlyList<IBenchmark> benchmarks, TextWriter output, TextWriter error)
    {
        RootCommand root = BenchmarkCommandLine.Create(benchmarks, arguments => Run(arguments, output, error), output);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line naming the mistake; the help (benchmarks and their options) is one --help away.
            bool atRoot = parsed.CommandResult.Command == root;
            string hint = atRoot ? "--help lists the benchmarks" : $"'{parsed.CommandResult.Command.Name} --help' lists its options";
            error.WriteLine($"error: {Mistake(parsed, atRoot)} ({hint})");
            return BadCommandLine;
        }

        // The benchmark owns Ctrl+C (it stops at its next check); the parser's own handling is off.
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
    }

    private static int Run(BenchmarkArguments arguments, TextWriter output, TextWriter error)
    {
        IBenchmark benchmark = arguments.Benchmark;
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // let the benchmark stop at its next check instead of killing the process mid-write
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            output.WriteLine($"benchmark: {benchmark.Name} - {benchmark.Description}");
            foreach (string line in MachineInfo.Describe())
            {
                output.WriteLine(line);
            }

            BenchmarkResult result;
            try
            {
                var context = new BenchmarkContext(arguments, output, cancellation.Token);
                result = benchmark.Run(context);
            }
            catch (UsageException e)
            {
                // A benchmark option with a bad value, found when the benchmark reads it.
                error.WriteLine($"error: {e.Message} ('{benchmark.Name} --help' lists its options)");
                return BadCommandLine;
            }
            catch (OperationCanceledException)
            {
                error.WriteLine($"{benchmark.Name}: cancelled.");
                return Failure;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                error.WriteLine($"{benchmark.Name}: {e.Message}");
                return Failure;
            }
            catch (Exception e)
            {
                error.WriteLine($"{benchmark.Name} failed: {e}");
                return Failure;
            }

            return WriteResult(benchmark, result, arguments.OutFile, output, error);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int WriteResult(IBenchmark benchmark, BenchmarkResult result, string? outFile, TextWriter output, TextWriter error)
    {
        string resultLine = result.ToResultLine(benchmark.Name);
        if (outFile is not null)
        {
            // Before the RESULT line, so that nothing follows it on stdout even when this reports an error.
            try
            {
                File.AppendAllText(outFile, resultLine + Environment.NewLine);
                output.WriteLine($"appended the RESULT line to {Path.GetFullPath(outFile)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"could not append to --out {outFile}: {e.Message}");
                output.WriteLine(resultLine);
                return Failure;
            }
        }

        output.WriteLine(resultLine);
        return Success;
    }

    private static string Mistake(ParseResult parsed, bool atRoot)
    {
        if (atRoot && parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is { } name)
        {
            return $"Unknown benchmark '{name}'.";
        }

        if (atRoot)
        {
            // A bad common option before the name is worth naming; the missing name itself gets today's wording.
            ParseError? option = parsed.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult or ArgumentResult);
            return option is null ? "Name a benchmark to run." : OneLine(option.Message);
        }

        return OneLine(parsed.Errors[0].Message);
    }

    // The parser lists choices on indented lines; the user gets them on the one error line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
