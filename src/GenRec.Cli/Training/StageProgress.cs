using GenRec.MLNet.Training;

namespace GenRec.Cli.Training;

/// <summary>
/// The progress hook of one stage (<see cref="TorchTrainerOptions.Progress"/>): records the curve and forwards each
/// report to the display. The training loop calls it synchronously on the training thread.
/// </summary>
internal sealed class StageProgress : IProgress<TrainingProgress>
{
    // The loss curve is thinned past this many points, so a long run's record stays small inside the zip.
    private const int MaxLossPoints = 2000;
    private readonly TrainingDisplay _display;
    private readonly int _index;
    private int _stride = 1;
    private long _reports;

    public StageProgress(TrainingDisplay display, int index, TrainingStage stage)
    {
        _display = display;
        _index = index;
        Stage = stage;
        Curve = new StageCurve { Name = stage.Name, Description = stage.Description, ValidationMetric = stage.ValidationMetric };
    }

    public TrainingStage Stage { get; }

    public StageCurve Curve { get; }

    public void Report(TrainingProgress value)
    {
        double seconds = value.Elapsed.TotalSeconds;
        if (value.ValidationMetric is { } metric)
        {
            Curve.Validation.Add(new CurvePoint(seconds, value.Epoch, value.Step, metric));
        }
        else if (_reports++ % _stride == 0)
        {
            Curve.Loss.Add(new CurvePoint(seconds, value.Epoch, value.Step, value.Loss));
            if (Curve.Loss.Count >= MaxLossPoints)
            {
                // Keep every other point and record half as often from now on: the curve keeps its whole span.
                Curve.Loss = Curve.Loss.Where((_, i) => i % 2 == 0).ToList();
                _stride *= 2;
            }
        }

        _display.Update(_index, Stage, value);
    }

    /// <summary>Completes the curve from the stage's result (validations of a resumed or reused run included).</summary>
    public void Complete(TrainingResult? result)
    {
        if (result is null)
        {
            return;
        }

        Curve.Epochs = result.EpochsCompleted;
        Curve.BestEpoch = result.BestEpoch;
        Curve.BestValidation = result.BestValidationMetric;
        Curve.StopReason = result.StopReason.ToString();
        Curve.Seconds = result.TrainingTime.TotalSeconds;
        Curve.Reused = result.ReusedCompletedCheckpoint;
        if (result.ValidationCurve.Count > Curve.Validation.Count)
        {
            // The result's curve also holds validations from before a resume; it is the complete one.
            Curve.Validation = result.ValidationCurve.Select(p => new CurvePoint(p.Seconds, p.Epoch, 0, p.Metric)).ToList();
        }

        _display.Complete(_index, Stage, Curve);
    }
}
