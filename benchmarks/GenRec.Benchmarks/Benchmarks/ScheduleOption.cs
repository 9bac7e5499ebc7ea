using GenRec.MLNet.Training;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>The <c>--schedule</c> option every training benchmark reads the same way.</summary>
internal static class ScheduleOption
{
    public const string Name = "schedule";

    /// <summary>
    /// constant | cosine (decays over --epochs, so pick epochs that fit --minutes) | cosine-budget (decays over the
    /// epochs or the time budget, whichever ends first) | inverse-sqrt; <paramref name="fallback"/> when absent.
    /// </summary>
    public static LearningRateSchedule Read(BenchmarkContext context, LearningRateSchedule fallback) => context.Option(Name) switch
    {
        null => fallback,
        "constant" => LearningRateSchedule.Constant,
        "cosine" => LearningRateSchedule.Cosine,
        "cosine-budget" => LearningRateSchedule.CosineWithinTimeBudget,
        "inverse-sqrt" => LearningRateSchedule.InverseSquareRoot,
        string other => throw new UsageException($"--schedule must be constant, cosine, cosine-budget or inverse-sqrt, not '{other}'."),
    };

    /// <summary>The schedule as RESULT lines print it.</summary>
    public static string Format(LearningRateSchedule schedule) => schedule switch
    {
        LearningRateSchedule.CosineWithinTimeBudget => "cosine-budget",
        LearningRateSchedule.InverseSquareRoot => "inverse-sqrt",
        _ => schedule.ToString().ToLowerInvariant(),
    };
}
