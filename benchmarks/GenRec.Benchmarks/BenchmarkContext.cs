using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;

namespace GenRec.Benchmarks;

/// <summary>
/// What a running benchmark gets: the datasets folder, the common options (time budget, seed), its own extra options,
/// a progress log with elapsed time, and a cancellation token wired to Ctrl+C.
/// </summary>
internal sealed class BenchmarkContext
{
    private readonly string? _dataOption;
    private readonly IReadOnlyDictionary<string, string> _extraOptions;
    private readonly TextWriter _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _dataDirectory;

    public BenchmarkContext(BenchmarkArguments arguments, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        _dataOption = arguments.DataDirectory;
        Minutes = arguments.Minutes;
        Seed = arguments.Seed;
        _extraOptions = arguments.ExtraOptions;
        _log = log;
        CancellationToken = cancellationToken;
    }

    /// <summary><c>--minutes</c>: the time budget, whose use is up to each benchmark (null when not given).</summary>
    public double? Minutes { get; }

    /// <summary><see cref="Minutes"/> as a <see cref="TimeSpan"/>, or null.</summary>
    public TimeSpan? TimeBudget => Minutes is { } m ? TimeSpan.FromMinutes(m) : null;

    /// <summary><c>--seed</c> (default 0): for everything random in the benchmark (MLContext, sampling, initialization).</summary>
    public int Seed { get; }

    /// <summary>Cancelled on Ctrl+C; pass it to long-running calls.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Time since the benchmark context was created.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// The datasets folder: <c>--data</c> when given, else <see cref="DatasetPaths.FindSharedDatasets"/>
    /// (<c>../shared/datasets</c> beside the repository, or <c>GENREC_DATASETS</c>). Resolved on first use, so
    /// benchmarks that need no data run without it; throws with every location searched when none is found.
    /// </summary>
    public string DataDirectory => _dataDirectory ??= ResolveDataDirectory();

    /// <summary>Path of a file under <see cref="DataDirectory"/>; throws a message naming the folder and file when it is missing.</summary>
    public string DataFile(params string[] parts)
    {
        string path = Path.Combine([DataDirectory, .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The datasets folder {DataDirectory} has no file {Path.Combine(parts)}.", path);
        }

        return path;
    }

    /// <summary>Path of a folder under <see cref="DataDirectory"/>; throws a message naming it when it is missing.</summary>
    public string DataFolder(params string[] parts)
    {
        string path = Path.Combine([DataDirectory, .. parts]);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"The datasets folder {DataDirectory} has no folder {Path.Combine(parts)}.");
        }

        return path;
    }

    /// <summary>The value of a benchmark-specific option (declared in <see cref="IBenchmark.ExtraOptions"/>), or null.</summary>
    public string? Option(string name) => _extraOptions.TryGetValue(name, out string? value) ? value : null;

    /// <summary>A benchmark-specific integer option, or <paramref name="defaultValue"/> when not given.</summary>
    public int IntOption(string name, int defaultValue) =>
        Option(name) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new UsageException($"--{name} must be an integer; got '{text}'.")
            : defaultValue;

    /// <summary>A benchmark-specific number option, or <paramref name="defaultValue"/> when not given.</summary>
    public double DoubleOption(string name, double defaultValue) =>
        Option(name) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                ? value
                : throw new UsageException($"--{name} must be a number; got '{text}'.")
            : defaultValue;

    /// <summary>Writes a progress line prefixed with the elapsed time.</summary>
    public void Log(string message)
    {
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,8:F1}s] {message}"));
        _log.Flush();
    }

    /// <summary>Logs <paramref name="table"/> (see <see cref="BenchmarkTables"/>), one log line per row, indented by <paramref name="indent"/>.</summary>
    public void LogTable(Spectre.Console.Rendering.IRenderable table, string indent = "  ")
    {
        foreach (string line in BenchmarkTables.Render(table))
        {
            Log(indent + line);
        }
    }

    /// <summary>Logs a metrics table and how many test cases it averages.</summary>
    public void LogMetrics(MetricsTable metrics, string indent = "  ", string cases = "cases")
    {
        LogTable(BenchmarkTables.Metrics(metrics), indent);
        Log(indent + string.Create(CultureInfo.InvariantCulture, $"({metrics.CaseCount:N0} {cases})"));
    }

    /// <summary>Logs the metrics of <c>Evaluate</c>: the table, the user count, and how many labels were unknown items.</summary>
    public void LogMetrics(RecommendationMetrics metrics, string indent = "  ")
    {
        LogTable(BenchmarkTables.Metrics(metrics.Table), indent);
        Log(indent + string.Create(CultureInfo.InvariantCulture, $"({metrics.UserCount:N0} users)") +
            (metrics.UnknownLabelCount > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {metrics.UnknownLabelCount:N0} labels were unknown items (key 0)") : string.Empty));
    }

    /// <summary>Logs semantic-ID statistics: the collision figures, then one table row per level.</summary>
    public void LogCodes(CodeStatistics statistics)
    {
        Log(string.Create(CultureInfo.InvariantCulture, $"Semantic IDs: {statistics.ItemCount} items, {statistics.Levels} levels"));
        Log(string.Create(CultureInfo.InvariantCulture, $"  distinct IDs     {statistics.DistinctIds} (unique rate {statistics.UniqueRate:P3})"));
        Log(string.Create(CultureInfo.InvariantCulture, $"  colliding items  {statistics.CollidingItems} (collision rate {statistics.CollisionRate:P3}) in {statistics.CollidingGroups} groups; largest bucket {statistics.LargestBucket}"));
        Log(string.Create(CultureInfo.InvariantCulture, $"  duplicate items  {statistics.DuplicateItems} (duplicate rate {statistics.DuplicateRate:P3}, LETTER's \"collision rate\")"));
        LogTable(BenchmarkTables.Levels(statistics));
    }

    /// <summary>Runs <paramref name="step"/>, logs how long it took, and returns its result and duration.</summary>
    public (T Value, TimeSpan Duration) Time<T>(string what, Func<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        CancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        T value = step();
        watch.Stop();
        Log(string.Create(CultureInfo.InvariantCulture, $"{what}: {watch.Elapsed.TotalSeconds:F2} s"));
        return (value, watch.Elapsed);
    }

    private string ResolveDataDirectory()
    {
        if (_dataOption != null)
        {
            string full = Path.GetFullPath(_dataOption);
            return Directory.Exists(full)
                ? full
                : throw new DirectoryNotFoundException($"--data {_dataOption}: the folder {full} does not exist.");
        }

        string? found = DatasetPaths.FindSharedDatasets();
        if (found != null)
        {
            return found;
        }

        throw new DirectoryNotFoundException(
            "No datasets folder: pass --data <dir>, set " + DatasetPaths.EnvironmentVariable + ", or put the datasets in " +
            "../shared/datasets relative to the repository root. Looked in:" + Environment.NewLine +
            string.Join(Environment.NewLine, DatasetPaths.CandidateDirectories().Select(c => "  " + c)));
    }
}
