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
}
