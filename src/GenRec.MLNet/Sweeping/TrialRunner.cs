using System.Diagnostics;
using GenRec.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// Fits one configuration on the training rows and scores it on the validation rows. Each trial gets its own
/// <see cref="MLContext"/> seeded from the configuration, so a trial's result does not depend on what ran before it.
/// </summary>
internal sealed class TrialRunner<TOptions>
    where TOptions : class
{
    private static readonly int[] Cutoffs = [10];
    private readonly MLContext _parent;
    private readonly SearchSpace<TOptions> _space;
    private readonly Func<MLContext, TOptions, IEstimator<ITransformer>> _pipeline;
    private readonly IDataView _train;
    private readonly IDataView _validation;
    private readonly SweepEvaluationColumns _columns;
    private readonly IChannel _channel;

    public TrialRunner(MLContext parent, SearchSpace<TOptions> space, Func<MLContext, TOptions, IEstimator<ITransformer>> pipeline,
        IDataView train, IDataView validation, SweepEvaluationColumns columns, IChannel channel)
    {
        _parent = parent;
        _space = space;
        _pipeline = pipeline;
        _train = train;
        _validation = validation;
        _columns = columns;
        _channel = channel;
    }

    /// <summary>Runs the trial; <paramref name="model"/> is the fitted pipeline when the trial completed, else null.</summary>
    public TrialResult<TOptions> Run(int id, SweepConfiguration configuration, int rung, int? budget, CancellationToken token, out ITransformer? model)
    {
        model = null;
        var clock = Stopwatch.StartNew();
        TOptions options = _space.Create(configuration.Values, budget);
        TrialCancellation.Attach(options, token);
        var context = new MLContext(configuration.Seed) { GpuDeviceId = _parent.GpuDeviceId, FallbackToCpu = _parent.FallbackToCpu };
        context.Log += (_, e) =>
        {
            // A trial's warnings and errors reach the sweep's log; its per-epoch chatter does not.
            if (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error)
            {
                _channel.Warning(MessageSensitivity.None, "trial {0}: {1}", id, e.Message);
            }
        };

        TrialStatus status;
        RecommendationMetrics? metrics = null;
        string? error = null;
        ITransformer? fitted = null;
        try
        {
            token.ThrowIfCancellationRequested();
            fitted = _pipeline(context, options).Fit(_train);
            token.ThrowIfCancellationRequested();
            metrics = context.GenerativeRecommendation().Evaluate(fitted.Transform(_validation), _columns.User, _columns.Item, _columns.RecommendedItems, Cutoffs);
            status = TrialStatus.Completed;
            model = fitted;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            status = TrialStatus.Cancelled;
            Dispose(fitted);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // One bad configuration (say, a layout a layer rejects) must not end the sweep: it is recorded and skipped.
            status = TrialStatus.Failed;
            error = $"{exception.GetType().Name}: {exception.Message}";
            Dispose(fitted);
        }

        clock.Stop();

        // The options are handed back in the result, to be refitted later: they must not carry the sweep's token,
        // which is cancelled once the sweep's time is up.
        TrialCancellation.Attach(options, CancellationToken.None);
        return new TrialResult<TOptions>(id, configuration.Id, rung, budget, options, configuration.Values, status, metrics, clock.Elapsed, error);
    }

    /// <summary>Releases a fitted pipeline's native weights (a chain disposes its stages).</summary>
    public static void Dispose(ITransformer? model)
    {
        switch (model)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IEnumerable<ITransformer> chain:
                foreach (ITransformer stage in chain)
                {
                    Dispose(stage);
                }

                break;
        }
    }
}
