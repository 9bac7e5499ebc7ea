namespace GenRec.MLNet.Data;

/// <summary>
/// Locates the shared folder of real datasets that lives beside a checkout (<c>../shared/datasets</c> relative to
/// the repository root), so tests, benchmarks and samples find it from wherever their binaries run, without the
/// datasets ever being copied into the repository.
/// </summary>
public static class DatasetPaths
{
    /// <summary>Environment variable that, when set to an existing folder, overrides the search.</summary>
    public const string EnvironmentVariable = "GENREC_DATASETS";

    /// <summary>
    /// Returns the shared datasets folder, or null when none is found. The value of <see cref="EnvironmentVariable"/>
    /// wins when it names an existing folder; otherwise each ancestor of the start folder (the start folder itself
    /// included, nearest first) is checked for a <c>shared/datasets</c> subfolder — which finds
    /// <c>&lt;parent of repo&gt;/shared/datasets</c> from anywhere inside the repository's build output.
    /// </summary>
    /// <remarks>
    /// When binaries are built outside the checkout (e.g. <c>dotnet test --artifacts-path /tmp/...</c>) neither default
    /// start is inside it; pass a folder of the checkout (such as the project folder recorded at build time) instead.
    /// </remarks>
    /// <param name="startDirectory">
    /// Where to start; by default <see cref="AppContext.BaseDirectory"/> and then the current directory are tried.
    /// </param>
    public static string? FindSharedDatasets(string? startDirectory = null) =>
        CandidateDirectories(startDirectory).FirstOrDefault(Directory.Exists);

    /// <summary>
    /// Every folder <see cref="FindSharedDatasets"/> checks, in order (useful in a "not found" message).
    /// </summary>
    /// <param name="startDirectory">As for <see cref="FindSharedDatasets"/>.</param>
    public static IReadOnlyList<string> CandidateDirectories(string? startDirectory = null)
    {
        var candidates = new List<string>();
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            candidates.Add(Path.GetFullPath(fromEnvironment));
        }

        var starts = startDirectory != null
            ? new[] { startDirectory }
            : new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
        foreach (string start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "datasets");
                if (!candidates.Contains(candidate, StringComparer.Ordinal))
                {
                    candidates.Add(candidate);
                }
            }
        }

        return candidates;
    }
}
