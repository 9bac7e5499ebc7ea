using System.Globalization;
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
        string[] parameterPaths = [.. Trials.SelectMany(t => t.Parameters.Keys).Distinct()];
        string[] header = ["", "trial", "rung", "budget", "status", "recall@10", "ndcg@10", "seconds", .. parameterPaths.Select(ShortName)];
        return FixedWidthTable.Format(header, Trials.Select(trial => TableRow(trial, parameterPaths)));
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Trials.Count} trials in {Duration.TotalSeconds:F0} s ({StopReason}); best: {BestTrial}");

    /// <summary>The last member of a path keeps the table narrow (<c>Recommender.LearningRate</c> → <c>LearningRate</c>).</summary>
    private static string ShortName(string path) => path[(path.LastIndexOf('.') + 1)..];

    /// <summary>One trial's cells in the header's order; "-" where a value does not exist, "" for an option it did not sample.</summary>
    private string[] TableRow(TrialResult<TOptions> trial, string[] parameterPaths)
    {
        bool completed = trial.Status == TrialStatus.Completed;
        return
        [
            ReferenceEquals(trial, BestTrial) ? "*" : "",
            trial.Id.ToString(CultureInfo.InvariantCulture),
            trial.Rung.ToString(CultureInfo.InvariantCulture),
            trial.Budget?.ToString(CultureInfo.InvariantCulture) ?? "-",
            trial.Status.ToString(),
            completed ? trial.ValidationRecallAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
            completed ? trial.ValidationNdcgAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
            trial.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            .. parameterPaths.Select(path => trial.Parameters.TryGetValue(path, out object? value) ? SweepFormatting.Value(value) : ""),
        ];
    }
}
