namespace GenRec.MLNet.Sweeping;

/// <summary>How a sweep chooses which configurations to train (<see cref="SweepExperiment{TOptions}.SetTuner"/>).</summary>
public enum SweepTuner
{
    /// <summary>Every trial is a new configuration drawn at random, trained at the full budget.</summary>
    RandomSearch,

    /// <summary>
    /// Successive halving: a bracket of configurations is trained at the smallest budget, the best 1/η of them
    /// (by the validation metric) are trained again at η times the budget, and so on up to the largest budget; then
    /// a new bracket starts. Needs a <see cref="SearchSpace{TOptions}.Budget"/>.
    /// </summary>
    SuccessiveHalving,
}
