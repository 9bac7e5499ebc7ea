using GenRec.Cli.Input;
using GenRec.Cli.Training;
using GenRec.MLNet.Sweeping;

namespace GenRec.Cli.Commands;

/// <summary>The parsed arguments of <c>genrec train</c> (also what <c>genrec demo</c> passes).</summary>
internal sealed class TrainRequest
{
    public required string Interactions { get; init; }

    public string? Items { get; init; }

    public InteractionFormat? Format { get; init; }

    public TrainingPreset Preset { get; init; } = TrainingPreset.Small;

    public required string Output { get; init; }

    public double? Minutes { get; init; }

    public string? Plots { get; init; }

    public int Seed { get; init; }

    public bool HoldOutLastItem { get; init; } = true;

    public string? Checkpoints { get; init; }

    public int? BeamSize { get; init; }

    public bool Verbose { get; init; }

    /// <summary>The small preset's options as <c>genrec sweep</c> chose them; null for the preset's own.</summary>
    public GenerativePipelineOptions? Options { get; init; }
}
