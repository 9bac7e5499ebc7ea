using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// The sweep loop: draws configurations, schedules them (random search or successive halving), stops at the trial
/// limit, the time budget or the caller's cancellation, reports every trial as it ends and keeps the best model.
/// </summary>
internal sealed class SweepRunner<TOptions>
    where TOptions : class
{
    private readonly TrialRunner<TOptions> _trialRunner;
    private readonly SearchSpace<TOptions> _space;
    private readonly SweepSettings _settings;
    private readonly IProgress<TrialResult<TOptions>>? _progress;
    private readonly IChannel _channel;
    private readonly Random _random;
    private readonly List<TrialResult<TOptions>> _trials = [];
    private int _configurationCount;
    private TrialResult<TOptions>? _best;
    private ITransformer? _bestModel;

    public SweepRunner(TrialRunner<TOptions> trialRunner, SearchSpace<TOptions> space, SweepSettings settings, IProgress<TrialResult<TOptions>>? progress, IChannel channel)
    {
        _trialRunner = trialRunner;
        _space = space;
        _settings = settings;
        _progress = progress;
        _channel = channel;
        _random = new Random(settings.Seed);
    }

    public SweepResult<TOptions> Run(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var budget = _settings.TimeBudget is { } time ? new CancellationTokenSource(time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        Info($"sweep: {_settings.Tuner}, seed {_settings.Seed}, max trials {_settings.MaxTrials?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}, " +
             $"time budget {(_settings.TimeBudget is { } t ? t.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s" : "none")}, maximizing {_settings.Metric}");
        if (_settings.Tuner == SweepTuner.SuccessiveHalving)
        {
            RunSuccessiveHalving(stop.Token);
        }
        else
        {
            RunRandomSearch(stop.Token);
        }

        clock.Stop();
        SweepStopReason reason = cancellationToken.IsCancellationRequested ? SweepStopReason.Cancelled
            : budget.IsCancellationRequested ? SweepStopReason.TimeBudget
            : SweepStopReason.MaxTrials;
        if (_best is null || _bestModel is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? firstError = _trials.FirstOrDefault(t => t.Status == TrialStatus.Failed)?.Error;
            throw new InvalidOperationException(
                $"The sweep ended ({reason}) after {_trials.Count} trial(s) without completing one" +
                (firstError is null ? "; raise the time budget or make the trials cheaper." : $"; the first failure was {firstError}"));
        }

        var result = new SweepResult<TOptions>(_trials, _best, _bestModel, _settings.Metric, reason, clock.Elapsed, _settings.StartFromDefaults);
        Info($"sweep done: {result}");
        return result;
    }

    private void RunRandomSearch(CancellationToken stop)
    {
        while (CanStart(stop))
        {
            RunTrial(NextConfiguration(), 0, _space.MaxBudget, stop);
        }
    }

    private void RunSuccessiveHalving(CancellationToken stop)
    {
        int minBudget = _space.MinBudget ?? throw new InvalidOperationException("Successive halving needs a budget option in the search space (SearchSpace.Budget).");
        int maxBudget = _space.MaxBudget!.Value;
        while (CanStart(stop))
        {
            int trialsLeft = _settings.MaxTrials is { } max ? max - _trials.Count : int.MaxValue;
            var plan = SuccessiveHalvingPlan.Create(minBudget, maxBudget, _settings.ReductionFactor, trialsLeft);
            List<SweepConfiguration> survivors = [.. Enumerable.Range(0, plan.Sizes[0]).Select(_ => NextConfiguration())];
            for (int rung = 0; rung < plan.Budgets.Count && survivors.Count > 0; rung++)
            {
                var rungResults = new List<TrialResult<TOptions>>();
                foreach (SweepConfiguration configuration in survivors)
                {
                    if (!CanStart(stop))
                    {
                        return;
                    }

                    rungResults.Add(RunTrial(configuration, rung, plan.Budgets[rung], stop));
                }

                if (rung + 1 < plan.Budgets.Count)
                {
                    // The best of this rung by the validation metric go on; earlier trials win ties.
                    HashSet<int> promoted = [.. rungResults.Where(r => r.Status == TrialStatus.Completed)
                        .OrderByDescending(r => r.Metric(_settings.Metric)).ThenBy(r => r.Id)
                        .Take(plan.Sizes[rung + 1]).Select(r => r.ConfigurationId)];
                    survivors = [.. survivors.Where(c => promoted.Contains(c.Id))];
                }
            }
        }
    }

    private bool CanStart(CancellationToken stop) =>
        !stop.IsCancellationRequested && (_settings.MaxTrials is not { } max || _trials.Count < max);

    /// <summary>
    /// The next configuration: the space's defaults first when asked (the baseline every sweep should beat), then random
    /// draws. The seed is drawn after the values from the same generator, so one sweep seed fixes everything.
    /// </summary>
    private SweepConfiguration NextConfiguration()
    {
        int id = _configurationCount++;
        IReadOnlyDictionary<string, object?> values = id == 0 && _settings.StartFromDefaults ? _space.DefaultValues() : _space.Sample(_random);
        return new SweepConfiguration(id, values, _random.Next());
    }

    private TrialResult<TOptions> RunTrial(SweepConfiguration configuration, int rung, int? budget, CancellationToken stop)
    {
        TrialResult<TOptions> trial = _trialRunner.Run(_trials.Count, configuration, rung, budget, stop, out ITransformer? model);
        _trials.Add(trial);
        double metric = trial.Metric(_settings.Metric);
        if (model is not null && (_best is null || metric > _best.Metric(_settings.Metric)))
        {
            TrialRunner<TOptions>.Dispose(_bestModel);
            _best = trial;
            _bestModel = model;
        }
        else
        {
            TrialRunner<TOptions>.Dispose(model);
        }

        Info(trial.ToString());
        _progress?.Report(trial);
        return trial;
    }

    private void Info(string message) => _channel.Info(MessageSensitivity.None, "{0}", message);
}
