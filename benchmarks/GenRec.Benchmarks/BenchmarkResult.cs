using System.Collections;
using System.Globalization;
using System.Text;
using GenRec.MLNet.Evaluation;

namespace GenRec.Benchmarks;

/// <summary>
/// The ordered <c>key=value</c> figures of one benchmark run, formatted once here so that every benchmark writes them
/// the same way: invariant culture, 4 decimals for metrics, no spaces anywhere.
/// </summary>
internal sealed class BenchmarkResult : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    /// <summary>Adds a ranking metric or other ratio with 4 decimals.</summary>
    public BenchmarkResult Metric(string key, double value) => Add(key, value.ToString("F4", CultureInfo.InvariantCulture));

    /// <summary>Adds a count.</summary>
    public BenchmarkResult Count(string key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a duration in seconds with 2 decimals.</summary>
    public BenchmarkResult Seconds(string key, TimeSpan duration) =>
        Add(key, duration.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));

    /// <summary>
    /// Adds <c>{prefix}_{metric}_{k}</c> for every metric and cutoff, metric-major (e.g. <c>pop_recall_5</c>,
    /// <c>pop_recall_10</c>, <c>pop_ndcg_5</c>, <c>pop_ndcg_10</c>).
    /// </summary>
    public BenchmarkResult Metrics(string prefix, MetricsTable table, IEnumerable<string> metrics, IEnumerable<int> ks)
    {
        ArgumentNullException.ThrowIfNull(table);
        int[] cutoffs = [.. ks];
        foreach (string metric in metrics)
        {
            foreach (int k in cutoffs)
            {
                Metric($"{prefix}_{metric.ToLowerInvariant()}_{k.ToString(CultureInfo.InvariantCulture)}", table[metric, k]);
            }
        }

        return this;
    }

    /// <summary>Adds a pre-formatted value; keys are <c>[a-z0-9_]+</c>, unique, and values must not contain whitespace.</summary>
    public BenchmarkResult Add(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (!key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"Result key '{key}' must use only a-z, 0-9 and '_'.", nameof(key));
        }

        if (value.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Result value '{value}' of '{key}' contains whitespace.", nameof(value));
        }

        if (_pairs.Any(p => p.Key == key))
        {
            throw new ArgumentException($"Result key '{key}' was added twice.", nameof(key));
        }

        _pairs.Add(new KeyValuePair<string, string>(key, value));
        return this;
    }

    /// <summary>The line a run ends with: <c>RESULT &lt;name&gt; key=value key=value ...</c>.</summary>
    public string ToResultLine(string benchmarkName)
    {
        var line = new StringBuilder("RESULT ").Append(benchmarkName);
        foreach (var (key, value) in _pairs)
        {
            line.Append(' ').Append(key).Append('=').Append(value);
        }

        return line.ToString();
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _pairs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
