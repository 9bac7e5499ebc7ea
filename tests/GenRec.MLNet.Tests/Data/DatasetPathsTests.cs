using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class DatasetPathsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string? _savedVariable = Environment.GetEnvironmentVariable(DatasetPaths.EnvironmentVariable);

    public DatasetPathsTests() => Environment.SetEnvironmentVariable(DatasetPaths.EnvironmentVariable, null);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(DatasetPaths.EnvironmentVariable, _savedVariable);
        _dir.Dispose();
    }

    [Fact]
    public void FindSharedDatasets_FindsSharedFolderBesideAnAncestor()
    {
        // <tmp>/shared/datasets next to <tmp>/repo, searched from deep inside the repo's build output.
        string shared = Directory.CreateDirectory(Path.Combine(_dir.Path, "shared", "datasets")).FullName;
        string deep = Directory.CreateDirectory(Path.Combine(_dir.Path, "repo", "tests", "bin", "Debug")).FullName;

        DatasetPaths.FindSharedDatasets(deep).Should().Be(shared);
        DatasetPaths.CandidateDirectories(deep).Should().Contain(shared);
    }

    [Fact]
    public void FindSharedDatasets_PrefersTheEnvironmentVariable()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "shared", "datasets"));
        string custom = Directory.CreateDirectory(Path.Combine(_dir.Path, "mine")).FullName;
        Environment.SetEnvironmentVariable(DatasetPaths.EnvironmentVariable, custom);

        DatasetPaths.FindSharedDatasets(_dir.Path).Should().Be(custom);
    }

    [Fact]
    public void FindSharedDatasets_ReturnsNullWhenNothingExists()
    {
        string start = Directory.CreateDirectory(Path.Combine(_dir.Path, "lonely")).FullName;
        var found = DatasetPaths.FindSharedDatasets(start);
        // Only an unrelated shared/datasets above the temp folder could be found; never one inside it.
        (found == null || !found.StartsWith(_dir.Path, StringComparison.Ordinal)).Should().BeTrue();
    }
}
