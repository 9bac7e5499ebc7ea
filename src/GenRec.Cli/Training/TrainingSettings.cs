using GenRec.MLNet.Sweeping;

namespace GenRec.Cli.Training;

/// <summary>What <c>genrec train</c> was asked for, independent of the data.</summary>
public sealed class TrainingSettings
{
    /// <summary>The recipe.</summary>
    public TrainingPreset Preset { get; init; } = TrainingPreset.Small;

    /// <summary>Total training time over all stages; null trains each stage for its full length.</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Root folder of the per-stage checkpoints (resume by running the same command again).</summary>
    public required string CheckpointDirectory { get; init; }

    /// <summary>Seed of the MLContext and of every stage.</summary>
    public int Seed { get; init; }

    /// <summary>How many items each recommendation list holds (the evaluator's largest K).</summary>
    public int TopK { get; init; } = 20;

    /// <summary>
    /// Beam width of the generative recommender (null: the preset's). Items the user already has are dropped from the
    /// beam's results, so a user with a long history may get fewer than <see cref="TopK"/> items from a narrow beam.
    /// </summary>
    public int? BeamSize { get; init; }

    /// <summary>
    /// The small preset's stage options chosen by <c>genrec sweep</c>, trained in place of the preset's own values;
    /// null for the preset as it is. Ignored by the other presets.
    /// </summary>
    public GenerativePipelineOptions? Options { get; init; }

    /// <summary>Stops training; the stages' checkpoints stay for a resume.</summary>
    public CancellationToken Cancellation { get; init; }
}
