using System.Globalization;
using System.Text;

namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Mean ranking metrics of one evaluation run: every metric in <see cref="MetricNames.All"/> at every cutoff K,
/// averaged over <see cref="CaseCount"/> cases.
/// </summary>
public sealed class MetricsTable
{
    private readonly int[] _ks;
    private readonly string[] _metrics;
    private readonly double[,] _values;

    /// <summary>Creates a table; <paramref name="values"/> is indexed [metric, k] in the order of the two lists.</summary>
    internal MetricsTable(int[] ks, string[] metrics, double[,] values, int caseCount)
    {
        _ks = ks;
        _metrics = metrics;
        _values = values;
        CaseCount = caseCount;
    }

    /// <summary>Number of evaluation cases the means were taken over.</summary>
    public int CaseCount { get; }

    /// <summary>Cutoffs, ascending.</summary>
    public IReadOnlyList<int> Ks => _ks;

    /// <summary>Metric names, in print order.</summary>
    public IReadOnlyList<string> Metrics => _metrics;

    /// <summary>Mean value of <paramref name="metric"/> (case-insensitive) at cutoff <paramref name="k"/>.</summary>
    /// <param name="metric">Metric name, e.g. <see cref="MetricNames.Recall"/>.</param>
    /// <param name="k">Cutoff that was evaluated.</param>
    public double this[string metric, int k] => Get(metric, k);

    /// <summary>Mean value of <paramref name="metric"/> (case-insensitive) at cutoff <paramref name="k"/>.</summary>
    /// <param name="metric">Metric name, e.g. <see cref="MetricNames.Recall"/>.</param>
    /// <param name="k">Cutoff that was evaluated.</param>
    /// <exception cref="KeyNotFoundException">The metric or the cutoff is not in the table.</exception>
    public double Get(string metric, int k)
    {
        ArgumentNullException.ThrowIfNull(metric);
        int m = Array.FindIndex(_metrics, name => string.Equals(name, metric, StringComparison.OrdinalIgnoreCase));
        if (m < 0)
        {
            throw new KeyNotFoundException($"Metric '{metric}' is not in the table; it has {string.Join(", ", _metrics)}.");
        }

        int column = Array.IndexOf(_ks, k);
        if (column < 0)
        {
            throw new KeyNotFoundException($"Cutoff K={k} was not evaluated; the table has K = {string.Join(", ", _ks)}.");
        }

        return _values[m, column];
    }

    /// <summary>Every (metric, K, value) cell, metric-major in print order.</summary>
    public IReadOnlyList<MetricValue> All()
    {
        var cells = new List<MetricValue>(_metrics.Length * _ks.Length);
        for (int m = 0; m < _metrics.Length; m++)
        {
            for (int column = 0; column < _ks.Length; column++)
            {
                cells.Add(new MetricValue(_metrics[m], _ks[column], _values[m, column]));
            }
        }

        return cells;
    }

    /// <summary>An aligned text table, one row per metric and one column per K, then the case count.</summary>
    public override string ToString()
    {
        const int ValueWidth = 8;
        int nameWidth = Math.Max("Metric".Length, _metrics.Max(name => name.Length));
        var text = new StringBuilder();
        text.Append("Metric".PadRight(nameWidth));
        foreach (int k in _ks)
        {
            text.Append(' ').Append(("@" + k.ToString(CultureInfo.InvariantCulture)).PadLeft(ValueWidth));
        }

        text.AppendLine();
        for (int m = 0; m < _metrics.Length; m++)
        {
            text.Append(_metrics[m].PadRight(nameWidth));
            for (int column = 0; column < _ks.Length; column++)
            {
                text.Append(' ').Append(_values[m, column].ToString("F4", CultureInfo.InvariantCulture).PadLeft(ValueWidth));
            }

            text.AppendLine();
        }

        text.Append(CultureInfo.InvariantCulture, $"({CaseCount:N0} cases)");
        return text.ToString();
    }
}
