using System.Collections;
using System.Globalization;
using GenRec.MLNet.Sweeping;
using Spectre.Console;

namespace GenRec.Cli.Sweeping;

/// <summary>
/// Shows a sweep as it runs: every trial as one line when it ends, and on a terminal a progress bar of the limit that
/// will stop the sweep first (trials done out of <c>--max-trials</c>, or time spent out of <c>--minutes</c>). Then the
/// trial table and the best options.
/// </summary>
internal sealed class SweepDisplay : IProgress<TrialResult<GenerativePipelineOptions>>
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);
    private readonly CliConsole _console;
    private readonly int? _maxTrials;
    private readonly TimeSpan? _budget;
    private int _finished;

    public SweepDisplay(CliConsole console, int? maxTrials, TimeSpan? budget)
    {
        _console = console;
        _maxTrials = maxTrials;
        _budget = budget;
    }

    /// <summary>Runs <paramref name="sweep"/> (which reports to this display) under a live progress bar on a terminal.</summary>
    public SweepResult<GenerativePipelineOptions> Run(Func<SweepResult<GenerativePipelineOptions>> sweep)
    {
        if (!_console.Interactive)
        {
            return sweep();
        }

        return _console.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("sweep", maxValue: 1);
                DateTime start = DateTime.UtcNow;
                Task<SweepResult<GenerativePipelineOptions>> running = Task.Run(sweep);
                // The sweep only reports between trials; the bar also moves with the clock when time is the limit.
                while (!running.Wait(Redraw))
                {
                    task.Value = Fraction(DateTime.UtcNow - start);
                    task.Description = Markup.Escape($"sweep: {Volatile.Read(ref _finished)} trials done");
                }

                task.Value = 1;
                task.StopTask();
                return running.GetAwaiter().GetResult();
            });
    }

    /// <summary>One line per finished trial (on the sweep's thread, so in order).</summary>
    public void Report(TrialResult<GenerativePipelineOptions> value)
    {
        Interlocked.Increment(ref _finished);
        if (_console.Interactive)
        {
            _console.Line("  " + value);
        }
        else
        {
            // Unwrapped, so a log keeps one greppable line per trial however many options it lists.
            _console.Output.WriteLine("  " + value);
        }
    }

    /// <summary>The trial table (best marked <c>*</c>) and the best trial's options.</summary>
    public void PrintResult(SweepResult<GenerativePipelineOptions> result, string? budgetName)
    {
        string[] names = [.. result.Trials.SelectMany(t => t.Parameters.Keys).Distinct()];
        var table = new Table().AddColumns(["", "trial", "rung", "epochs", "status", "recall@10", "ndcg@10", "seconds", .. names.Select(ShortName)]);
        foreach (TrialResult<GenerativePipelineOptions> trial in result.Trials)
        {
            bool completed = trial.Status == TrialStatus.Completed;
            string[] cells =
            [
                ReferenceEquals(trial, result.BestTrial) ? "*" : "",
                Number(trial.Id),
                Number(trial.Rung),
                trial.Budget is { } b ? Number(b) : "-",
                trial.Status.ToString(),
                completed ? trial.ValidationRecallAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
                completed ? trial.ValidationNdcgAt10.ToString("F4", CultureInfo.InvariantCulture) : "-",
                trial.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                .. names.Select(n => trial.Parameters.TryGetValue(n, out object? v) ? Value(v) : ""),
            ];
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        _console.Line(string.Create(CultureInfo.InvariantCulture,
            $"{result.Trials.Count} trials in {result.Duration.TotalSeconds:F0} s, stopped by {result.StopReason}; validation {Metric(result.OptimizingMetric)} picks the best (*):"));
        _console.Ansi.Write(table);
        TrialResult<GenerativePipelineOptions> best = result.BestTrial;
        _console.Line(string.Create(CultureInfo.InvariantCulture,
            $"Best: trial {best.Id}, validation Recall@10 {best.ValidationRecallAt10:F4}, NDCG@10 {best.ValidationNdcgAt10:F4}, with"));
        foreach ((string name, object? value) in best.Parameters)
        {
            _console.Line($"  {name} = {Value(value)}");
        }

        if (budgetName is not null && best.Budget is { } epochs)
        {
            _console.Line($"  {budgetName} = {Number(epochs)}");
        }
    }

    // The limit that will stop the sweep first decides how far along it is.
    private double Fraction(TimeSpan elapsed)
    {
        double byTrials = _maxTrials is { } max ? Volatile.Read(ref _finished) / (double)max : 0;
        double byTime = _budget is { } budget ? elapsed / budget : 0;
        return Math.Clamp(Math.Max(byTrials, byTime), 0, 1);
    }

    private static string Metric(SweepMetric metric) => metric == SweepMetric.NdcgAt10 ? "NDCG@10" : "Recall@10";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The last member of a path keeps the table narrow (<c>Recommender.LearningRate</c> → <c>LearningRate</c>).</summary>
    private static string ShortName(string path) => path[(path.LastIndexOf('.') + 1)..];

    private static string Value(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable sequence => "[" + string.Join(", ", sequence.Cast<object?>().Select(Value)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
