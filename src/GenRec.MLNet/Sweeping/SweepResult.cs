using System.Globalization;
using System.Text;
using Microsoft.ML;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// What a sweep returns: every trial in the order it started, the best completed one (highest validation metric;
/// ties go to the earlier trial) and that trial's fitted model.
/// </summary>
/// <typeparam name="TOptions">The sweep's options type.</typeparam>
public sealed class SweepResult<TOptions>
    where TOptions : class
{
    internal SweepResult(IReadOnlyList<TrialResult<TOptions>> trials, TrialResult<TOptions> bestTrial, ITransformer bestModel, SweepMetric metric,
        SweepStopReason stopReason, TimeSpan duration)
    {
        Trials = trials;
        BestTrial = bestTrial;
        BestModel = bestModel;
        OptimizingMetric = metric;
        StopReason = stopReason;
        Duration = duration;
    }

    /// <summary>Every trial, completed or not, in the order they started.</summary>
    public IReadOnlyList<TrialResult<TOptions>> Trials { get; }

    /// <summary>The completed trial with the highest validation <see cref="OptimizingMetric"/>.</summary>
    public TrialResult<TOptions> BestTrial { get; }

    /// <summary>
    /// The pipeline fitted in <see cref="BestTrial"/> (on the sweep's training rows only), ready for
    /// <c>Transform</c> or <c>mlContext.Model.Save</c>. The other trials' models are disposed as the sweep goes.
    /// </summary>
    public ITransformer BestModel { get; }

    /// <summary>The metric the sweep maximized.</summary>
    public SweepMetric OptimizingMetric { get; }

    /// <summary>Why the sweep stopped starting trials.</summary>
    public SweepStopReason StopReason { get; }

    /// <summary>Wall time of the whole sweep.</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// A fixed-width table of the trials (id, rung, budget, status, Recall@10, NDCG@10, seconds, then one column per
    /// swept option), the best trial marked with <c>*</c>.
    /// </summary>
    public string ToTable()
    {
        string[] names = [.. Trials.SelectMany(t => t.Parameters.Keys).Distinct()];
        string[] header = ["", "trial", "rung", "budget", "status", "recall@10", "ndcg@10", "seconds", .. names.Select(ShortName)];
        var rows = new List<string[]> { header };
        foreach (TrialResult<TOptions> trial in Trials)
        {
            rows.Add([
                ReferenceEquals(trial, BestTrial) ? "*" : "",
                trial.Id.ToString(CultureInfo.InvariantCulture),
                trial.Rung.ToString(CultureInfo.InvariantCulture),
                trial.Budget?.ToString(CultureInfo.InvariantCulture) ?? "-",
                trial.Status.ToString(),
                trial.Status == TrialStatus.Completed ? trial.ValidationRecallAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
                trial.Status == TrialStatus.Completed ? trial.ValidationNdcgAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
                trial.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                .. names.Select(n => trial.Parameters.TryGetValue(n, out object? v) ? SweepFormatting.Value(v) : ""),
            ]);
        }

        int[] widths = [.. Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length))];
        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Trials.Count} trials in {Duration.TotalSeconds:F0} s ({StopReason}); best: {BestTrial}");

    /// <summary>The last member of a path keeps the table narrow (<c>Recommender.LearningRate</c> → <c>LearningRate</c>).</summary>
    private static string ShortName(string path) => path[(path.LastIndexOf('.') + 1)..];
}
