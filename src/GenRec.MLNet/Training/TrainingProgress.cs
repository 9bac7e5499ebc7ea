namespace GenRec.MLNet.Training;

/// <summary>A progress report of the shared training loop.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">Optimizer steps done so far (all epochs).</param>
/// <param name="Loss">Mean training loss over the reporting window.</param>
/// <param name="ExamplesPerSecond">Training throughput over the reporting window.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="ValidationMetric">Validation metric when this report follows a validation, else null.</param>
/// <param name="LearningRate">Current learning rate.</param>
public sealed record TrainingProgress(
    int Epoch,
    long Step,
    double Loss,
    double ExamplesPerSecond,
    TimeSpan Elapsed,
    double? ValidationMetric,
    double LearningRate);
