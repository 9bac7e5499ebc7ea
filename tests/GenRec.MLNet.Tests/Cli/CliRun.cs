using GenRec.Cli;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>One in-process run of the genrec tool: its exit code and everything it wrote.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args) => Invoke(CancellationToken.None, null, args);

    /// <summary>Runs the tool; <paramref name="onOutput"/> sees every write to stdout (a test uses it to press Ctrl-C at a chosen moment).</summary>
    public static CliRun Invoke(CancellationToken cancellation, Action<string>? onOutput, params string[] args)
    {
        var output = new WatchedWriter(onOutput);
        var error = new StringWriter();
        int code = GenRecCli.RunAsync(args, output, error, cancellation).GetAwaiter().GetResult();
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";

    private sealed class WatchedWriter(Action<string>? onOutput) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value != null)
            {
                onOutput?.Invoke(value);
            }
        }

        public override void Write(char value) => base.Write(value);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value != null)
            {
                onOutput?.Invoke(value);
            }
        }
    }
}
