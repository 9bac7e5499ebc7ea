namespace GenRec.Cli;

/// <summary>
/// Bad input the user can fix (a missing file, an unknown format, user or column): printed as one line on stderr,
/// without a stack trace, and the tool exits with <see cref="GenRecCli.BadInputExitCode"/>.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the error with the one line the user will read.</summary>
    public CliException(string message)
        : base(message)
    {
    }
}
