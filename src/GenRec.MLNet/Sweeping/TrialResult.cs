using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Sweeping;

/// <summary>One trial of a sweep: the options it trained with, how it ended, its validation metrics and its time.</summary>
/// <typeparam name="TOptions">The sweep's options type.</typeparam>
public sealed class TrialResult<TOptions>
    where TOptions : class
{
    internal TrialResult(int id, int configurationId, int rung, int? budget, TOptions options, IReadOnlyDictionary<string, object?> parameters,
        TrialStatus status, RecommendationMetrics? metrics, TimeSpan duration, string? error)
    {
        Id = id;
        ConfigurationId = configurationId;
        Rung = rung;
        Budget = budget;
        Options = options;
        Parameters = parameters;
        Status = status;
        ValidationMetrics = metrics;
        Duration = duration;
        Error = error;
    }

    /// <summary>The trial's number, 0 for the first one started.</summary>
    public int Id { get; }

    /// <summary>Which sampled configuration this trial trains; successive halving trains one configuration at several budgets.</summary>
    public int ConfigurationId { get; }

    /// <summary>The successive-halving rung (0 = smallest budget); always 0 for random search.</summary>
    public int Rung { get; }

    /// <summary>The value the budget option had in this trial, or null when the space declares no budget.</summary>
    public int? Budget { get; }

    /// <summary>The complete options the trial's pipeline was built from (defaults, sampled values and budget).</summary>
    public TOptions Options { get; }

    /// <summary>The sampled values by member path (e.g. <c>Recommender.LearningRate</c>), in declaration order.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>Completed, failed or cancelled.</summary>
    public TrialStatus Status { get; }

    /// <summary>Metrics on the validation rows (Recall, HR, NDCG, MRR at 10), or null unless <see cref="Status"/> is Completed.</summary>
    public RecommendationMetrics? ValidationMetrics { get; }

    /// <summary>Validation Recall@10, or NaN when the trial did not complete.</summary>
    public double ValidationRecallAt10 => ValidationMetrics?.Recall(10) ?? double.NaN;

    /// <summary>
    /// An upper bound of the standard error of <see cref="ValidationRecallAt10"/> over the validation users, √(p(1 − p)/n)
    /// for Recall@10 p over n users (a user's recall lies in [0, 1], so its variance is at most p(1 − p); with one held-out
    /// item per user, as in a leave-one-out split, it is the binomial standard error). NaN unless completed. Two trials whose
    /// Recall@10 differ by less than about twice this cannot be told apart on this validation set.
    /// </summary>
    public double ValidationRecallStandardError =>
        ValidationMetrics is { UserCount: > 0 } metrics
            ? Math.Sqrt(ValidationRecallAt10 * (1 - ValidationRecallAt10) / metrics.UserCount)
            : double.NaN;

    /// <summary>Validation NDCG@10, or NaN when the trial did not complete.</summary>
    public double ValidationNdcgAt10 => ValidationMetrics?.Ndcg(10) ?? double.NaN;

    /// <summary>Wall time of fitting and scoring.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The exception message of a failed trial; null otherwise.</summary>
    public string? Error { get; }

    /// <summary>The value of <paramref name="metric"/> (NaN unless completed).</summary>
    public double Metric(SweepMetric metric) => metric == SweepMetric.NdcgAt10 ? ValidationNdcgAt10 : ValidationRecallAt10;

    /// <inheritdoc />
    public override string ToString()
    {
        string budget = Budget is { } b ? FormattableString.Invariant($", budget {b}") : string.Empty;
        string error = Error is null ? string.Empty : $"; error: {Error}";
        return FormattableString.Invariant(
            $"trial {Id} (config {ConfigurationId}, rung {Rung}{budget}): {Status}, Recall@10 {ValidationRecallAt10:F4}, NDCG@10 {ValidationNdcgAt10:F4}, ") +
            FormattableString.Invariant($"{Duration.TotalSeconds:F1} s; {SweepFormatting.Parameters(Parameters)}{error}");
    }
}
