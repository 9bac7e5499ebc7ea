namespace GenRec.Cli.Training;

/// <summary>One point of a training or validation curve.</summary>
/// <param name="Seconds">Seconds since the stage started training.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">Optimizer steps so far (0 for validation points read from a result).</param>
/// <param name="Value">The loss or the validation metric.</param>
public sealed record CurvePoint(double Seconds, int Epoch, long Step, double Value);
