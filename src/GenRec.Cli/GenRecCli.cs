using System.CommandLine;
using GenRec.Cli.Commands;
using GenRec.MLNet.Data;

namespace GenRec.Cli;

/// <summary>
/// The <c>genrec</c> tool in-process: one entry point that the executable and the tests share. Each command lives
/// in its own file under <c>Commands/</c> and is added in <see cref="CreateRootCommand"/>; a new command (such as
/// <c>sweep</c>) is one more file and one more line there.
/// </summary>
public static class GenRecCli
{
    /// <summary>Exit code of a command that did what it was asked.</summary>
    public const int SuccessExitCode = 0;

    /// <summary>Exit code when a run failed for a reason other than the input (a library error, an I/O failure).</summary>
    public const int FailureExitCode = 1;

    /// <summary>Exit code for bad input: unknown option, missing file, unknown format, user or column.</summary>
    public const int BadInputExitCode = 2;

    /// <summary>Exit code after Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int CancelledExitCode = 130;

    /// <summary>The option that shows stack traces and the library's log.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Show the library's log and full stack traces on errors",
        Recursive = true,
    };

    /// <summary>Runs the tool with <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Standard output: results, tables and progress.</param>
    /// <param name="error">Standard error: one line per error.</param>
    /// <param name="cancellation">Stops a running command (Ctrl-C does the same from a terminal).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        // The real process (not a test's writers): it owns Ctrl-C, and draws live progress when stdout is a terminal.
        bool process = ReferenceEquals(output, Console.Out);
        bool terminal = process && !Console.IsOutputRedirected;
        var console = new CliConsole(output, error, terminal);
        RootCommand root = CreateRootCommand(console);
        ParseResult parsed = root.Parse(args);
        bool verbose = parsed.GetValue(Verbose);
        if (parsed.Errors.Count > 0)
        {
            string command = string.Join(' ', parsed.CommandResult.Command == root ? ["genrec"] : ["genrec", parsed.CommandResult.Command.Name]);
            error.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (see '{command} --help')");
            return BadInputExitCode;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // Ctrl-C cancels the command's token; training then stops at the next batch and leaves its checkpoints.
            ProcessTerminationTimeout = process ? TimeSpan.FromSeconds(60) : null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Report(e, error, verbose);
        }
    }

    /// <summary>The command tree.</summary>
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("genrec: train, evaluate, inspect and query GenRec.MLNet generative recommenders (docs/cli.md)");
        root.Options.Add(Verbose);
        root.Subcommands.Add(TrainCommand.Create(console));
        root.Subcommands.Add(EvaluateCommand.Create(console));
        root.Subcommands.Add(RecommendCommand.Create(console));
        root.Subcommands.Add(StatsCommand.Create(console));
        root.Subcommands.Add(SweepCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        return root;
    }

    /// <summary>One line for the user (the whole exception with <c>--verbose</c>) and the exit code that goes with it.</summary>
    private static int Report(Exception e, TextWriter error, bool verbose)
    {
        Exception cause = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
        (string message, int code) = cause switch
        {
            CliException => (cause.Message, BadInputExitCode),
            DataFormatException or FileNotFoundException or DirectoryNotFoundException => (cause.Message, BadInputExitCode),
            OperationCanceledException => ("cancelled", CancelledExitCode),
            _ => (cause.Message, FailureExitCode),
        };
        error.WriteLine($"error: {OneLine(message)}");
        if (verbose)
        {
            error.WriteLine(cause.ToString());
        }
        else if (code == FailureExitCode)
        {
            error.WriteLine("(run again with --verbose for the stack trace)");
        }

        return code;
    }

    // Parser messages list choices on indented lines; the user gets them on the one error line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
