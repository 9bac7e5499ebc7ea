namespace GenRec.MLNet.Training;

/// <summary>How the learning rate changes after the linear warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>Keep the base learning rate.</summary>
    Constant = 0,

    /// <summary>Cosine decay from the base rate to 1% of it over the planned steps.</summary>
    Cosine = 1,

    /// <summary>Base rate × sqrt(warmup / step) after warm-up (the Transformer schedule).</summary>
    InverseSquareRoot = 2,

    /// <summary>
    /// Cosine decay that ends when the first of two limits is reached: the planned steps (as <see cref="Cosine"/>) or
    /// <see cref="TorchTrainerOptions.MaxTrainingTime"/>, whose elapsed fraction advances the decay too. A run under a
    /// time budget then still gets its low-learning-rate end, whatever the machine's speed; without a budget this is
    /// <see cref="Cosine"/>. The learning rate depends on wall-clock time, so two runs with the same seed are not
    /// bit-identical: use <see cref="Cosine"/> where reproducibility matters more than the budget.
    /// </summary>
    CosineWithinTimeBudget = 3,
}
