using FluentAssertions;
using GenRec.MLNet.Data;

namespace GenRec.MLNet.Tests.Data;

/// <summary>A throw-away folder for hand-made input files; deleted when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "genrec-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> (lines joined with \n) and returns the file's full path.</summary>
    public string Write(string name, params string[] lines)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }

    /// <summary>
    /// Asserts that <paramref name="load"/> throws a <see cref="DataFormatException"/> whose message names the
    /// file and the 1-based line and contains <paramref name="problem"/>.
    /// </summary>
    public static DataFormatException ShouldFailAt(Action load, string path, long line, string problem)
    {
        var ex = load.Should().Throw<DataFormatException>().Which;
        ex.Message.Should().Contain(System.IO.Path.GetFileName(path));
        ex.FilePath.Should().Be(path);
        ex.LineNumber.Should().Be(line);
        if (line > 0)
        {
            ex.Message.Should().Contain($"line {line}");
        }

        ex.Message.Should().Contain(problem);
        return ex;
    }
}
