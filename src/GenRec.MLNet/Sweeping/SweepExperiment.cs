using GenRec.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// A hyperparameter sweep over a pipeline, shaped like ML.NET AutoML's <c>AutoMLExperiment</c>: set the data, the
/// time budget and/or trial limit, the seed and the tuner, then <see cref="Run"/> or <see cref="RunAsync(CancellationToken)"/>.
/// Every trial fits the pipeline on the training rows and is scored on the validation rows (Recall@10 and NDCG@10);
/// test rows never enter a sweep. Create one with <c>mlContext.GenerativeRecommendation().Sweep(space, pipeline)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Deterministic given <see cref="SetSeed"/>: the same seed draws the same configurations in the same order, and each
/// trial trains in its own <see cref="MLContext"/> seeded from its configuration. Wall-clock limits are the exception:
/// with a time budget, how many trials fit depends on the machine.
/// </para>
/// <para>
/// The time budget is enforced inside trials too: the sweep hands a cancellation token to every
/// <see cref="Training.TorchTrainerOptions"/> reachable from the trial's options, so a training loop stops at the next
/// step when time is up (that trial is recorded as <see cref="TrialStatus.Cancelled"/>). A stage that does not train
/// through the library's loop finishes its <c>Fit</c> first.
/// </para>
/// </remarks>
/// <typeparam name="TOptions">The options a trial's pipeline is built from.</typeparam>
public sealed class SweepExperiment<TOptions>
    where TOptions : class
{
    private readonly MLContext _mlContext;
    private readonly SearchSpace<TOptions> _space;
    private readonly Func<MLContext, TOptions, IEstimator<ITransformer>> _pipeline;
    private IDataView? _train;
    private IDataView? _validation;
    private int? _seed;
    private int? _maxTrials;
    private TimeSpan? _timeBudget;
    private SweepTuner _tuner = SweepTuner.RandomSearch;
    private int _reductionFactor = 3;
    private SweepMetric _metric = SweepMetric.RecallAt10;
    private bool _startFromDefaults = true;
    private SweepEvaluationColumns _columns = new("UserId", "ItemId", "RecommendedItems");

    internal SweepExperiment(MLContext mlContext, SearchSpace<TOptions> space, Func<MLContext, TOptions, IEstimator<ITransformer>> pipeline)
    {
        _mlContext = mlContext;
        _space = space;
        _pipeline = pipeline;
    }

    /// <summary>The rows every trial trains on and the rows it is scored on.</summary>
    /// <param name="train">Training rows (raw rows the pipeline starts from).</param>
    /// <param name="validation">Validation rows (same schema); each row's item is a held-out target of its user.</param>
    public SweepExperiment<TOptions> SetDataset(IDataView train, IDataView validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        _train = train;
        _validation = validation;
        return this;
    }

    /// <summary>The training and validation parts of a split (<see cref="GenRecCatalog.LeaveOneOutSplit"/> with validation, or
    /// <see cref="GenRecCatalog.TrainTestSplit"/> with a validation fraction); the test part is left for the final report.</summary>
    public SweepExperiment<TOptions> SetDataset(InteractionSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Validation.GetRowCount() == 0)
        {
            throw new ArgumentException("The split has no validation rows: split with withValidation: true (LeaveOneOutSplit) or a validationFraction above 0 (TrainTestSplit).", nameof(split));
        }

        return SetDataset(split.Train, split.Validation);
    }

    /// <summary>Stops starting trials after <paramref name="seconds"/> and cancels the trial running then.</summary>
    public SweepExperiment<TOptions> SetTrainingTimeInSeconds(uint seconds)
    {
        _timeBudget = seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentOutOfRangeException(nameof(seconds), "The sweep's training time must be at least 1 second.");
        return this;
    }

    /// <summary>Runs at most <paramref name="maxTrials"/> trials (each fit counts, successive halving's re-fits included).</summary>
    public SweepExperiment<TOptions> SetMaxTrials(int maxTrials)
    {
        _maxTrials = maxTrials > 0 ? maxTrials : throw new ArgumentOutOfRangeException(nameof(maxTrials), $"The maximum number of trials must be at least 1; got {maxTrials}.");
        return this;
    }

    /// <summary>The seed of the sweep's draws and of every trial's <see cref="MLContext"/>; without it one is drawn from the context's seed.</summary>
    public SweepExperiment<TOptions> SetSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Random search (default) or successive halving with reduction factor <paramref name="reductionFactor"/> (η, at least 2).</summary>
    public SweepExperiment<TOptions> SetTuner(SweepTuner tuner, int reductionFactor = 3)
    {
        if (!Enum.IsDefined(tuner))
        {
            throw new ArgumentOutOfRangeException(nameof(tuner), $"Unknown tuner {tuner}.");
        }

        if (reductionFactor < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), $"The reduction factor must be at least 2; got {reductionFactor}.");
        }

        if (tuner == SweepTuner.SuccessiveHalving && _space.BudgetName is null)
        {
            throw new InvalidOperationException("Successive halving needs a budget option: declare one with SearchSpace.Budget (e.g. o => o.Recommender.NumberOfEpochs).");
        }

        _tuner = tuner;
        _reductionFactor = reductionFactor;
        return this;
    }

    /// <summary>The validation metric to maximize (default Recall@10).</summary>
    public SweepExperiment<TOptions> SetOptimizingMetric(SweepMetric metric)
    {
        _metric = Enum.IsDefined(metric) ? metric : throw new ArgumentOutOfRangeException(nameof(metric), $"Unknown metric {metric}.");
        return this;
    }

    /// <summary>Whether the first configuration is the defaults factory's own values (default true), so that the sweep
    /// measures the starting point it should beat; otherwise every configuration is drawn at random.</summary>
    public SweepExperiment<TOptions> SetStartFromDefaults(bool startFromDefaults)
    {
        _startFromDefaults = startFromDefaults;
        return this;
    }

    /// <summary>The columns of the fitted pipeline's output that the validation score reads (defaults: <c>UserId</c>, <c>ItemId</c>, <c>RecommendedItems</c>).</summary>
    public SweepExperiment<TOptions> SetEvaluationColumns(string userColumnName = "UserId", string itemColumnName = "ItemId", string recommendedItemsColumnName = "RecommendedItems")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(itemColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(recommendedItemsColumnName);
        _columns = new SweepEvaluationColumns(userColumnName, itemColumnName, recommendedItemsColumnName);
        return this;
    }

    /// <summary>Runs the sweep on this thread; <paramref name="progress"/> gets each trial as it ends.</summary>
    /// <exception cref="InvalidOperationException">No data, no limit (neither a time budget nor a trial limit), or no trial completed.</exception>
    public SweepResult<TOptions> Run(IProgress<TrialResult<TOptions>>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_train is null || _validation is null)
        {
            throw new InvalidOperationException("The sweep has no data: call SetDataset(train, validation) first.");
        }

        if (_maxTrials is null && _timeBudget is null)
        {
            throw new InvalidOperationException("The sweep has no limit: call SetTrainingTimeInSeconds or SetMaxTrials (or both).");
        }

        var host = ((IHostEnvironment)_mlContext).Register("Sweep");
        var settings = new SweepSettings(_seed ?? host.Rand.Next(), _maxTrials, _timeBudget, _tuner, _reductionFactor, _metric, _startFromDefaults);
        using IChannel channel = host.Start("Sweep");
        var trials = new TrialRunner<TOptions>(_mlContext, _space, _pipeline, _train, _validation, _columns, channel);
        return new SweepRunner<TOptions>(trials, _space, settings, progress, channel).Run(cancellationToken);
    }

    /// <summary>Runs the sweep on the thread pool; cancelling <paramref name="cancellationToken"/> stops it and returns the trials so far.</summary>
    public Task<SweepResult<TOptions>> RunAsync(CancellationToken cancellationToken = default) => RunAsync(null, cancellationToken);

    /// <summary>Runs the sweep on the thread pool, reporting each trial to <paramref name="progress"/> as it ends.</summary>
    public Task<SweepResult<TOptions>> RunAsync(IProgress<TrialResult<TOptions>>? progress, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(progress, cancellationToken), CancellationToken.None);
}
