namespace GenRec.Cli.Training;

/// <summary>
/// What one stage reported while it trained: the loss after every progress report and the validation metric after
/// every validation. Saved in the model zip (<see cref="TrainingRecord"/>) so <c>genrec stats</c> can plot it later.
/// </summary>
public sealed class StageCurve
{
    /// <summary>Stage name (<c>collaborative</c>, <c>tokenizer</c>, ...).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>What the stage is (model kind and size).</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>What the validation points measure (e.g. <c>Recall@10</c>).</summary>
    public string ValidationMetric { get; set; } = string.Empty;

    /// <summary>Training loss points: seconds since the stage started, epoch, step, loss.</summary>
    public List<CurvePoint> Loss { get; set; } = [];

    /// <summary>Validation points: seconds, epoch, metric (the stage's own validation metric).</summary>
    public List<CurvePoint> Validation { get; set; } = [];

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; set; }

    /// <summary>The epoch whose weights were kept.</summary>
    public int BestEpoch { get; set; }

    /// <summary>Best validation metric, when the stage validated.</summary>
    public double? BestValidation { get; set; }

    /// <summary>Why the stage stopped (<c>Epochs</c>, <c>EarlyStopping</c>, <c>TimeBudget</c>).</summary>
    public string StopReason { get; set; } = string.Empty;

    /// <summary>Wall-clock training seconds of this run.</summary>
    public double Seconds { get; set; }

    /// <summary>True when the stage's checkpoint held a completed run that was reused without training.</summary>
    public bool Reused { get; set; }
}
