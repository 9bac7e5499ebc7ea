namespace GenRec.Cli.Input;

/// <summary>
/// Finds named columns in a CSV header line, so an interactions or items file may order and name its columns the
/// usual ways (<c>User</c>/<c>userId</c>/<c>user_id</c>, ...). The rows themselves are read by ML.NET's TextLoader.
/// </summary>
internal sealed class CsvHeader
{
    private readonly string[] _names;

    private CsvHeader(string path, string[] names)
    {
        Path = path;
        _names = names;
    }

    /// <summary>The file the header belongs to.</summary>
    public string Path { get; }

    /// <summary>Reads the first line of <paramref name="path"/>; a missing or empty file is a <see cref="CliException"/>.</summary>
    public static CsvHeader Read(string path)
    {
        RequireFile(path, "file");
        string? line;
        using (var reader = new StreamReader(path))
        {
            line = reader.ReadLine();
        }

        if (string.IsNullOrWhiteSpace(line))
        {
            throw new CliException($"{path}: the file is empty (a CSV needs a header line such as User,Item,Timestamp)");
        }

        // Header names never hold commas in the files this reads, so quotes only need to be stripped.
        string[] names = line.TrimStart('\uFEFF').Split(',').Select(n => n.Trim().Trim('"').Trim()).ToArray();
        return new CsvHeader(path, names);
    }

    /// <summary>Fails with a one-line message when <paramref name="path"/> is not an existing file.</summary>
    public static void RequireFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a folder, expected a {what}");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{path}: {what} not found");
        }
    }

    /// <summary>The 0-based position of the first column whose name is one of <paramref name="aliases"/> (case-insensitive), or -1.</summary>
    public int Find(params string[] aliases)
    {
        for (int i = 0; i < _names.Length; i++)
        {
            if (aliases.Any(a => string.Equals(a, _names[i], StringComparison.OrdinalIgnoreCase)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Like <see cref="Find"/>, but a missing column is a <see cref="CliException"/> naming what was found.</summary>
    public int Require(string role, params string[] aliases)
    {
        int index = Find(aliases);
        if (index < 0)
        {
            throw new CliException($"{Path}: no {role} column in the header (expected one of {string.Join(", ", aliases)}; found {string.Join(", ", _names)})");
        }

        return index;
    }
}
