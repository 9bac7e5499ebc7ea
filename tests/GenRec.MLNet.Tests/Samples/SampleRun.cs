using System.Reflection;
using System.Runtime.ExceptionServices;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// One in-process run of a console sample, as <c>dotnet run --project samples/X -- args</c> would run it: the sample's
/// own entry point (the compiler-made Main of its top-level statements) with Console.Out and Console.Error captured.
/// Console is process-wide, so only tests in <see cref="SampleProgramsCollection"/> may call this.
/// </summary>
public sealed record SampleRun(int ExitCode, string Output, string Error)
{
    private static readonly char[] LineBreaks = ['\r', '\n'];

    /// <summary>The lines written to stdout, without line breaks.</summary>
    public string[] OutputLines => Output.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs <paramref name="sample"/>'s entry point with <paramref name="args"/>; an exception it throws is rethrown as is.</summary>
    public static SampleRun Invoke(Assembly sample, params string[] args)
    {
        MethodInfo main = sample.EntryPoint ?? throw new ArgumentException($"{sample.GetName().Name} has no entry point.", nameof(sample));
        var output = new StringWriter();
        var error = new StringWriter();
        TextWriter originalOutput = Console.Out;
        TextWriter originalError = Console.Error;
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            // An async Main's entry point is the synchronous wrapper the compiler adds, so the result is the exit code.
            object? result = main.Invoke(null, [args]);
            return new SampleRun(result is int code ? code : 0, output.ToString(), error.ToString());
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(wrapped.InnerException).Throw();
            throw;
        }
        finally
        {
            Console.SetOut(originalOutput);
            Console.SetError(originalError);
        }
    }

    /// <summary>Everything the run wrote, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
