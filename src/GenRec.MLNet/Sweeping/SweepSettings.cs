namespace GenRec.MLNet.Sweeping;

/// <summary>What <see cref="SweepExperiment{TOptions}"/>'s setters collected, frozen for one run.</summary>
internal sealed record SweepSettings(
    int Seed,
    int? MaxTrials,
    TimeSpan? TimeBudget,
    SweepTuner Tuner,
    int ReductionFactor,
    SweepMetric Metric,
    bool StartFromDefaults);
