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
        SweepStopReason stopReason, TimeSpan duration, bool startedFromDefaults = false)
    {
        Trials = trials;
        BestTrial = bestTrial;
        BestModel = bestModel;
        OptimizingMetric = metric;
        StopReason = stopReason;
        Duration = duration;
        DefaultsTrial = startedFromDefaults
            ? trials.Where(t => t.ConfigurationId == 0 && t.Status == TrialStatus.Completed).OrderByDescending(t => t.Budget ?? 0).ThenBy(t => t.Id).FirstOrDefault()
            : null;
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

    /// <summary>
    /// The defaults' completed trial at the largest budget they reached (configuration 0, when the sweep started from the
    /// defaults; see <see cref="SweepExperiment{TOptions}.SetStartFromDefaults"/>), or null. Successive halving trains the
    /// defaults at its smallest budget first, which says little about them at the full budget.
    /// </summary>
    public TrialResult<TOptions>? DefaultsTrial { get; }

    /// <summary>
    /// How far <see cref="BestTrial"/>'s validation Recall@10 is above <see cref="DefaultsTrial"/>'s, in standard errors
    /// of the difference (unpaired, from <see cref="TrialResult{TOptions}.ValidationRecallStandardError"/>, so a
    /// conservative figure); NaN without a defaults trial, or when the defaults did not reach the best trial's budget
    /// (successive halving may drop them at a smaller one, where a lower score says little). Below about 2 the sweep's
    /// winner is not distinguishable from the defaults on this validation set, and the defaults are the safer choice.
    /// </summary>
    public double BestLeadOverDefaultsInStandardErrors
    {
        get
        {
            if (DefaultsTrial is not { } defaults || defaults.Budget != BestTrial.Budget)
            {
                return double.NaN;
            }

            double spread = Math.Sqrt(Square(BestTrial.ValidationRecallStandardError) + Square(defaults.ValidationRecallStandardError));
            double lead = BestTrial.ValidationRecallAt10 - defaults.ValidationRecallAt10;
            return spread > 0 ? lead / spread : lead == 0 ? 0 : Math.CopySign(double.PositiveInfinity, lead);
        }
    }

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
            $"{Trials.Count} trials in {Duration.TotalSeconds:F0} s ({StopReason}); best: {BestTrial}") + DefaultsComparison();

    /// <summary>The best trial against the defaults, so a reader sees whether the winner's lead is larger than the noise.</summary>
    private string DefaultsComparison()
    {
        if (DefaultsTrial is not { } defaults)
        {
            return string.Empty;
        }

        if (ReferenceEquals(defaults, BestTrial))
        {
            return "; the defaults are the best trial";
        }

        if (defaults.Budget != BestTrial.Budget)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"; the defaults (trial {defaults.Id}) reached budget {defaults.Budget} only, the best ran at {BestTrial.Budget}: not compared");
        }

        double z = BestLeadOverDefaultsInStandardErrors;
        string verdict = z >= 2 ? "a lead beyond the validation noise" : "within the validation noise: the defaults are as good on this evidence";
        return string.Create(CultureInfo.InvariantCulture,
            $"; defaults (trial {defaults.Id}): Recall@10 {defaults.ValidationRecallAt10:F4} ± {defaults.ValidationRecallStandardError:F4}, best {BestTrial.ValidationRecallAt10:F4} ± {BestTrial.ValidationRecallStandardError:F4}: {z:F1} standard errors, {verdict}");
    }

    private static double Square(double value) => value * value;

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
