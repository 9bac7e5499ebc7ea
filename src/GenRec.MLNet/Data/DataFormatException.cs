namespace GenRec.MLNet.Data;

/// <summary>
/// Thrown by loaders when a file does not have the expected format. The message names the file,
/// the 1-based line (when known) and the problem, so a user can open the file and fix it.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at a line of a file.</summary>
    public DataFormatException(string filePath, long lineNumber, string problem)
        : base(lineNumber > 0 ? $"{filePath}, line {lineNumber}: {problem}" : $"{filePath}: {problem}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file that is malformed.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, or 0 when the problem concerns the whole file.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
