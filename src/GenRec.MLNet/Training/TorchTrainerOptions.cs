namespace GenRec.MLNet.Training;

/// <summary>
/// Training knobs shared by every TorchSharp estimator, named once so they mean the same everywhere.
/// Estimator <c>Options</c> classes derive from this and add their model's own fields.
/// </summary>
public abstract class TorchTrainerOptions
{
    /// <summary>Maximum number of passes over the training data.</summary>
    public int NumberOfEpochs = 20;

    /// <summary>Training examples per optimizer step.</summary>
    public int BatchSize = 256;

    /// <summary>Peak learning rate of AdamW.</summary>
    public double LearningRate = 1e-3;

    /// <summary>Decoupled weight decay of AdamW.</summary>
    public double WeightDecay = 0.0;

    /// <summary>Learning-rate schedule after warm-up.</summary>
    public LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Constant;

    /// <summary>Optimizer steps of linear warm-up from 0 to <see cref="LearningRate"/>.</summary>
    public int WarmupSteps = 0;

    /// <summary>Clip the global gradient norm to this value; 0 disables clipping.</summary>
    public double GradientClipNorm = 0.0;

    /// <summary>Stop after this many validations without improvement; 0 disables early stopping.</summary>
    public int EarlyStoppingPatience = 3;

    /// <summary>Validate every this many epochs (validation costs a full ranking pass).</summary>
    public int ValidateEveryNEpochs = 1;

    /// <summary>
    /// Ranking metric on the validation cases that early stopping and the kept best weights follow, for the stages that
    /// validate by recommending (collaborative, generative, retrieval); the tokenizers validate on their own loss.
    /// </summary>
    public Evaluation.RankingMetric ValidationMetric = Evaluation.RankingMetric.Recall;

    /// <summary>Cutoff K of <see cref="ValidationMetric"/> (10 = Recall@10 with the default metric).</summary>
    public int ValidationCutoff = 10;

    /// <summary>Stop training (keeping the best weights) when this much time has passed; null = no budget.</summary>
    public TimeSpan? MaxTrainingTime;

    /// <summary>
    /// Folder for checkpoints; null = no checkpoints. A checkpoint is bound to the training data, the options that shape
    /// the result and the seed (not to logging, checkpoint interval, time budget or device). When the folder holds an
    /// interrupted run with the same binding, training resumes from it and returns the same best weights an uninterrupted
    /// run would; a completed one is returned without training, with a warning in the log and
    /// <see cref="TrainingResult.ReusedCompletedCheckpoint"/> set. A checkpoint of any other run is an
    /// <see cref="InvalidOperationException"/> naming the folder and what differs: it is never silently overwritten or reused.
    /// </summary>
    public string? CheckpointDirectory;

    /// <summary>Write a checkpoint every this many optimizer steps (and at each epoch end); 0 = only at epoch ends.</summary>
    public int CheckpointEveryNSteps = 0;

    /// <summary>Log a progress line every this many optimizer steps.</summary>
    public int LogEveryNSteps = 100;

    /// <summary>Device to train on; defaults to CUDA when available.</summary>
    public TorchDeviceKind Device = TorchDeviceKind.Auto;

    /// <summary>Seed for initialization and shuffling; null = draw from the MLContext seed.</summary>
    public int? Seed;

    /// <summary>Optional receiver of progress reports (in addition to MLContext.Log).</summary>
    public IProgress<TrainingProgress>? Progress;

    /// <summary>Cancels training; checked before every batch.</summary>
    public CancellationToken CancellationToken;

    /// <summary>Checks the shared knobs, naming the field that is wrong.</summary>
    public virtual void Validate()
    {
        RequirePositive(NumberOfEpochs, nameof(NumberOfEpochs));
        RequirePositive(BatchSize, nameof(BatchSize));
        RequirePositive(LearningRate, nameof(LearningRate));
        RequireNonNegative(WeightDecay, nameof(WeightDecay));
        RequireNonNegative(WarmupSteps, nameof(WarmupSteps));
        RequireNonNegative(GradientClipNorm, nameof(GradientClipNorm));
        RequireNonNegative(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
        RequirePositive(ValidateEveryNEpochs, nameof(ValidateEveryNEpochs));
        RequireNonNegative(CheckpointEveryNSteps, nameof(CheckpointEveryNSteps));
        RequirePositive(LogEveryNSteps, nameof(LogEveryNSteps));
        if (MaxTrainingTime is { } budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrainingTime), budget, "MaxTrainingTime must be positive (or null for no budget).");
        }

        RequirePositive(ValidationCutoff, nameof(ValidationCutoff));
        RequireAtMost(ValidationCutoff, 1000, nameof(ValidationCutoff));
        if (!Enum.IsDefined(ValidationMetric))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationMetric), ValidationMetric, "Unknown ranking metric.");
        }

        if (!Enum.IsDefined(Device))
        {
            throw new ArgumentOutOfRangeException(nameof(Device), Device, "Unknown device kind.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> is not a finite number greater than zero.</summary>
    protected static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> is not a finite number at least zero.</summary>
    protected static void RequireNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of at least 0.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> is above <paramref name="max"/> (a cap a saved model must also respect).</summary>
    protected static void RequireAtMost(double value, double max, string name)
    {
        if (value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at most {max}.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> is not in [0, 1].</summary>
    protected static void RequireProbability(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and 1.");
        }
    }
}
