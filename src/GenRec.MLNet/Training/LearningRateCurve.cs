namespace GenRec.MLNet.Training;

/// <summary>The learning rate of a step under a <see cref="TorchTrainerOptions"/>' warm-up and <see cref="LearningRateSchedule"/>.</summary>
internal static class LearningRateCurve
{
    /// <param name="options">Peak rate, warm-up steps, schedule and (for the time-budget cosine) the budget.</param>
    /// <param name="step">Optimizer steps taken so far.</param>
    /// <param name="plannedSteps">Steps the full run would take (epochs × batches per epoch).</param>
    /// <param name="elapsedSeconds">Seconds of the training budget spent so far.</param>
    public static double At(TorchTrainerOptions options, long step, long plannedSteps, double elapsedSeconds)
    {
        double peak = options.LearningRate;
        int warmup = options.WarmupSteps;
        if (warmup > 0 && step < warmup)
        {
            return peak * (step + 1) / warmup;
        }

        switch (options.LearningRateSchedule)
        {
            case LearningRateSchedule.Cosine:
                return peak * CosineFactor((double)(step - warmup) / Math.Max(1, plannedSteps - warmup));
            case LearningRateSchedule.CosineWithinTimeBudget:
                double stepProgress = (double)(step - warmup) / Math.Max(1, plannedSteps - warmup);
                double timeProgress = options.MaxTrainingTime is { } budget ? elapsedSeconds / Math.Max(1e-9, budget.TotalSeconds) : 0;
                return peak * CosineFactor(Math.Max(stepProgress, timeProgress));
            case LearningRateSchedule.InverseSquareRoot:
                return peak * Math.Sqrt(Math.Max(1, warmup) / (double)Math.Max(step + 1, Math.Max(1, warmup)));
            default:
                return peak;
        }
    }

    /// <summary>Cosine from 1 down to 1% of the peak as <paramref name="progress"/> goes from 0 to 1 (clamped).</summary>
    private static double CosineFactor(double progress) => 0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
}
