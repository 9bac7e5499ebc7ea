using System.Reflection;
using GenRec.MLNet.Data;

namespace GenRec.MLNet.RealData;

/// <summary>
/// Finds the real datasets beside the repository (<c>../shared/datasets</c>, or the folder named by the
/// GENREC_DATASETS environment variable) through <see cref="DatasetPaths"/>.
/// </summary>
/// <remarks>
/// A missing folder fails the tests instead of skipping them: these tests exist to prove the loaders against the
/// published files, and a silent skip would let a broken checkout look green.
/// </remarks>
internal static class SharedDatasets
{
    private static readonly Lazy<string> RootFolder = new(Locate);

    /// <summary>The shared datasets folder; throws with the searched locations when it cannot be found.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>Path of a file under the shared datasets folder; throws when it does not exist.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"The shared datasets folder {Root} has no file {Path.Combine(parts)}.", path);
        }

        return path;
    }

    /// <summary>Path of a folder under the shared datasets folder; throws when it does not exist.</summary>
    public static string Folder(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"The shared datasets folder {Root} has no folder {Path.Combine(parts)}.");
        }

        return path;
    }

    private static string Locate()
    {
        // Build output may live outside the checkout (--artifacts-path), so also search from the project's sources.
        string? projectDirectory = ProjectDirectory();
        string? found = DatasetPaths.FindSharedDatasets()
            ?? (projectDirectory != null ? DatasetPaths.FindSharedDatasets(projectDirectory) : null);
        if (found != null)
        {
            return found;
        }

        var looked = DatasetPaths.CandidateDirectories().ToList();
        if (projectDirectory != null)
        {
            looked.AddRange(DatasetPaths.CandidateDirectories(projectDirectory).Except(looked));
        }

        string variable = Environment.GetEnvironmentVariable(DatasetPaths.EnvironmentVariable) ?? "(not set)";
        throw new DirectoryNotFoundException(
            "The real-data tests need the shared datasets folder (../shared/datasets next to the repository root), " +
            $"or set {DatasetPaths.EnvironmentVariable} to its path (currently {variable}). Looked in:" + Environment.NewLine +
            string.Join(Environment.NewLine, looked.Select(c => "  " + c)));
    }

    /// <summary>The project folder recorded at build time (see the csproj), or null when absent.</summary>
    private static string? ProjectDirectory() =>
        typeof(SharedDatasets).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false)
            .Cast<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GenRecProjectDirectory")?.Value;
}
