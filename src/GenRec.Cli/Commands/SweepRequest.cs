using GenRec.Cli.Input;
using GenRec.MLNet.Sweeping;

namespace GenRec.Cli.Commands;

/// <summary>The parsed arguments of <c>genrec sweep</c>.</summary>
internal sealed class SweepRequest
{
    public required string Interactions { get; init; }

    public string? Items { get; init; }

    public InteractionFormat? Format { get; init; }

    public required string Output { get; init; }

    /// <summary>The sweep's time budget; the final training of the best options gets at most as long again.</summary>
    public double? Minutes { get; init; }

    public int? MaxTrials { get; init; }

    public SweepTuner Tuner { get; init; } = SweepTuner.SuccessiveHalving;

    public int Seed { get; init; }

    public bool Verbose { get; init; }
}
