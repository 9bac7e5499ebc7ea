using Spectre.Console;

namespace GenRec.Cli;

/// <summary>
/// Where a command writes: a Spectre console over the standard output (tables, progress) and the plain error writer.
/// Tests pass their own writers, so the same code runs in-process with everything captured.
/// </summary>
public sealed class CliConsole
{
    /// <summary>Wraps the writers; <paramref name="interactive"/> is true only for a real terminal (live progress bars).</summary>
    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Output = output;
        Error = error;
        Interactive = interactive;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Redirected output (files, tests, CI logs): wide enough that tables are not wrapped mid-word.
            Ansi.Profile.Width = 160;
        }
    }

    /// <summary>The standard output as text.</summary>
    public TextWriter Output { get; }

    /// <summary>The standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The standard output for tables and progress.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>True when progress can be redrawn in place; otherwise progress is written as lines.</summary>
    public bool Interactive { get; }

    /// <summary>Writes a line of plain text (no markup interpretation).</summary>
    public void Line(string text = "") => Ansi.WriteLine(text);
}
