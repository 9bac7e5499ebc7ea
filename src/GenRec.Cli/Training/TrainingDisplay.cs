using System.Globalization;
using GenRec.MLNet.Training;
using Spectre.Console;

namespace GenRec.Cli.Training;

/// <summary>
/// Shows every stage's training as it happens: on a terminal a Spectre progress bar per stage (epoch, loss,
/// validation metric, elapsed and remaining time); when the output is redirected, one line per epoch or validation.
/// </summary>
internal sealed class TrainingDisplay
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);
    private readonly CliConsole _console;
    private readonly object _gate = new();
    private ProgressTask[]? _tasks;
    private readonly Dictionary<int, (int Epoch, DateTime At)> _lastLine = [];

    public TrainingDisplay(CliConsole console) => _console = console;

    /// <summary>Runs <paramref name="fit"/> with one progress row per stage.</summary>
    public T Run<T>(IReadOnlyList<TrainingStage> stages, Func<T> fit)
    {
        if (!_console.Interactive)
        {
            return fit();
        }

        return _console.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                _tasks = stages.Select(s => ctx.AddTask(Markup.Escape($"{s.Name}: waiting"), autoStart: false, maxValue: 100)).ToArray();
                return fit();
            });
    }

    public void Update(int index, TrainingStage stage, TrainingProgress progress)
    {
        string text = Describe(stage, progress);
        lock (_gate)
        {
            if (_tasks is { } tasks)
            {
                ProgressTask task = tasks[index];
                if (!task.IsStarted)
                {
                    task.StartTask();
                    // Stages run in order: the first report of this one means the earlier ones have finished (their
                    // summaries arrive when the whole pipeline is fitted); stop their clocks now.
                    foreach (ProgressTask earlier in tasks.Take(index).Where(t => t.IsStarted && !t.IsFinished))
                    {
                        earlier.Value = earlier.MaxValue;
                        earlier.StopTask();
                    }
                }

                task.Description = Markup.Escape(text);
                task.Value = 100 * Fraction(stage.Options, progress);
                return;
            }

            // Redirected output: a line when the epoch changes (at most every two seconds) and after every validation.
            bool validation = progress.ValidationMetric is not null;
            bool first = !_lastLine.TryGetValue(index, out var last);
            if (validation || first || (progress.Epoch != last.Epoch && DateTime.UtcNow - last.At >= LineInterval))
            {
                _lastLine[index] = (progress.Epoch, DateTime.UtcNow);
                _console.Line("  " + text);
            }
        }
    }

    public void Complete(int index, TrainingStage stage, StageCurve curve)
    {
        string best = curve.BestValidation is { } metric ? string.Create(CultureInfo.InvariantCulture, $", best validation {metric:F4} at epoch {curve.BestEpoch}") : string.Empty;
        string how = curve.Reused ? "reused from its checkpoint" : $"{curve.Epochs} epochs in {curve.Seconds:F0} s, stopped by {curve.StopReason}";
        string text = $"{stage.Name} ({stage.Description}): {how}{best}";
        lock (_gate)
        {
            if (_tasks is { } tasks)
            {
                tasks[index].Description = Markup.Escape(text);
                tasks[index].Value = 100;
                tasks[index].StopTask();
                return;
            }

            _console.Line("  done: " + text);
        }
    }

    private static string Describe(TrainingStage stage, TrainingProgress p)
    {
        string valid = p.ValidationMetric is { } m ? string.Create(CultureInfo.InvariantCulture, $"  valid {m:F4}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{stage.Name,-14} epoch {p.Epoch}/{stage.Options.NumberOfEpochs}  loss {p.Loss:F4}{valid}  {p.Elapsed.TotalSeconds:F0} s");
    }

    // The further of the two limits: epochs done, or the share of the time budget spent.
    private static double Fraction(TorchTrainerOptions options, TrainingProgress p)
    {
        double byEpochs = Math.Clamp((p.Epoch - 1) / (double)options.NumberOfEpochs, 0, 1);
        double byTime = options.MaxTrainingTime is { } budget ? Math.Clamp(p.Elapsed / budget, 0, 1) : 0;
        return Math.Max(byEpochs, byTime);
    }
}
