using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Training;

/// <summary>
/// The one training loop every TorchSharp estimator uses: AdamW with warm-up and a schedule, a dispose
/// scope per batch, optional gradient clipping, a NaN check, early stopping on the model's validation
/// metric (restoring the best weights), a time budget, checkpoints with exact resume (bound to their data, options and
/// seed), cancellation, and progress
/// to <see cref="MLContext.Log"/> and an optional <see cref="IProgress{T}"/>.
/// </summary>
public sealed class TrainingLoop
{
    private readonly TorchTrainerOptions _options;
    private readonly IChannel _channel;
    private readonly string _componentName;
    private TimeSpan _spentBeforeRun;

    /// <summary>Creates a loop that logs to <paramref name="mlContext"/> under <paramref name="componentName"/>.</summary>
    public TrainingLoop(MLContext mlContext, TorchTrainerOptions options, string componentName)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _componentName = componentName;
        _channel = ((IHostEnvironment)mlContext).Register(componentName).Start("Training");
    }

    /// <summary>Trains <paramref name="model"/> (already on its device) and leaves the best weights in it.</summary>
    /// <param name="model">The model, its batches, loss and validation.</param>
    /// <param name="seed">The resolved seed (shuffling; part of the checkpoint's fingerprint).</param>
    /// <param name="describeData">
    /// Adds everything the run trains and validates on to a fingerprint. Required with a
    /// <see cref="TorchTrainerOptions.CheckpointDirectory"/>: a checkpoint is bound to its data, options and seed, and is
    /// only resumed (or, when complete, reused) under the same ones.
    /// </param>
    /// <param name="spentBeforeRun">
    /// Time the caller already spent on this training's budget before the loop (e.g. a k-means initialization): it
    /// counts against <see cref="TorchTrainerOptions.MaxTrainingTime"/> and the time-budget schedule, so the budget
    /// bounds the whole fit, not only the loop. A budget already spent stops the loop at its first check (one step).
    /// </param>
    /// <exception cref="InvalidOperationException">The checkpoint folder holds another run's checkpoint (the message names the folder and what differs).</exception>
    public TrainingResult Run<TBatch>(ITrainableModel<TBatch> model, int seed, Action<TrainingDataFingerprint>? describeData = null, TimeSpan spentBeforeRun = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spentBeforeRun, TimeSpan.Zero);
        _spentBeforeRun = spentBeforeRun;
        ArgumentNullException.ThrowIfNull(model);
        nn.Module module = model.Module;
        using optim.Optimizer optimizer = optim.AdamW(module.parameters(), _options.LearningRate, weight_decay: _options.WeightDecay);
        long plannedSteps = Math.Max(1L, (long)_options.NumberOfEpochs * Math.Max(1, model.BatchesPerEpoch));
        string? checkpointDir = _options.CheckpointDirectory;
        var state = new TrainingCheckpoint();
        Dictionary<string, Tensor>? bestWeights = null;
        if (checkpointDir is not null)
        {
            if (describeData is null)
            {
                throw new ArgumentException(
                    "CheckpointDirectory is set but the training data were not described: a checkpoint must be bound to its data so that it is never resumed on other data.",
                    nameof(describeData));
            }

            var data = new TrainingDataFingerprint();
            describeData(data);
            state.Fingerprint = TrainingFingerprint.Create(_componentName, _options, seed, data.ToString());
            if (TrainingCheckpoint.Exists(checkpointDir))
            {
                state = TrainingCheckpoint.Load(checkpointDir, state.Fingerprint, module, optimizer, out bestWeights);
                if (state.Completed)
                {
                    return ReuseCompleted(module, state, bestWeights, checkpointDir);
                }

                Info($"Resuming from checkpoint in '{checkpointDir}': epoch {state.Epoch + 1}, batch {state.BatchInEpoch}, step {state.Step}.");
            }
        }

        string stopReason = "epochs";
        var clock = Stopwatch.StartNew();
        double elapsedBefore = state.ElapsedSeconds;
        long examplesTotal = 0;
        double lastEpochLoss = double.NaN;
        int epoch = state.Epoch;

        try
        {
            if (model.ValidateBeforeTraining && state.Step == 0 && state.Curve.Count == 0 && ValidateModel(model) is { } initial)
            {
                state.Curve.Add(new TrainingCheckpoint.CurvePoint(elapsedBefore, 0, initial));
                state.BestMetric = initial;
                state.BestEpoch = 0;
                bestWeights = Snapshot(module);
                Info($"Before training: validation {initial:F4} (epoch 0, kept unless an epoch beats it).");
            }

            for (; epoch < _options.NumberOfEpochs; epoch++)
            {
                module.train();
                var random = new Random(unchecked(seed * 31 + epoch));
                int skip = state.BatchInEpoch;
                int batchIndex = 0;
                double epochLossSum = 0, windowLossSum = 0;
                int epochBatches = 0, windowBatches = 0;
                long windowExamples = 0;
                var window = Stopwatch.StartNew();

                foreach (TBatch batch in model.EnumerateBatches(epoch, random))
                {
                    if (batchIndex++ < skip)
                    {
                        continue; // resume: the batches are deterministic, so skipping reproduces the interrupted epoch
                    }

                    _options.CancellationToken.ThrowIfCancellationRequested();
                    double lr = LearningRateAt(state.Step, plannedSteps, elapsedBefore + clock.Elapsed.TotalSeconds);
                    foreach (var group in optimizer.ParamGroups)
                    {
                        group.LearningRate = lr;
                    }

                    double loss = Step(model, batch, module, optimizer, epoch, state.Step);
                    state.Step++;
                    state.BatchInEpoch = batchIndex;
                    int examples = model.CountExamples(batch);
                    examplesTotal += examples;
                    windowExamples += examples;
                    epochLossSum += loss;
                    windowLossSum += loss;
                    epochBatches++;
                    windowBatches++;

                    if (state.Step % _options.LogEveryNSteps == 0)
                    {
                        double rate = windowExamples / Math.Max(1e-9, window.Elapsed.TotalSeconds);
                        Report(epoch, state.Step, windowLossSum / windowBatches, rate, clock.Elapsed, null, lr);
                        windowLossSum = 0;
                        windowBatches = 0;
                        windowExamples = 0;
                        window.Restart();
                    }

                    if (checkpointDir is not null && _options.CheckpointEveryNSteps > 0 && state.Step % _options.CheckpointEveryNSteps == 0)
                    {
                        state.Epoch = epoch;
                        state.ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
                        state.Save(checkpointDir, module, optimizer, bestWeights);
                    }

                    if (OverBudget(clock))
                    {
                        break;
                    }
                }

                lastEpochLoss = epochBatches > 0 ? epochLossSum / epochBatches : double.NaN;
                state.BatchInEpoch = 0;
                bool overBudget = OverBudget(clock);
                bool lastEpoch = epoch + 1 == _options.NumberOfEpochs;
                bool stop = false;
                Info($"Epoch {epoch + 1}/{_options.NumberOfEpochs}: loss {lastEpochLoss:F4}, {clock.Elapsed.TotalSeconds:F0} s elapsed.");

                if ((epoch + 1) % _options.ValidateEveryNEpochs == 0 || overBudget || lastEpoch)
                {
                    double? metric = ValidateModel(model);
                    if (metric is { } value)
                    {
                        state.Curve.Add(new TrainingCheckpoint.CurvePoint(elapsedBefore + clock.Elapsed.TotalSeconds, epoch + 1, value));
                        Report(epoch, state.Step, lastEpochLoss, examplesTotal / Math.Max(1e-9, clock.Elapsed.TotalSeconds), clock.Elapsed, value, LearningRateAt(state.Step, plannedSteps, elapsedBefore + clock.Elapsed.TotalSeconds));
                        if (state.BestMetric is null || value > state.BestMetric.Value)
                        {
                            state.BestMetric = value;
                            state.BestEpoch = epoch + 1;
                            state.ValidationsWithoutImprovement = 0;
                            DisposeAll(bestWeights);
                            bestWeights = Snapshot(module);
                        }
                        else if (_options.EarlyStoppingPatience > 0 && ++state.ValidationsWithoutImprovement >= _options.EarlyStoppingPatience)
                        {
                            stopReason = "early-stopping";
                            stop = true;
                            Info($"Early stopping after epoch {epoch + 1}: no improvement for {state.ValidationsWithoutImprovement} validations (best {state.BestMetric:F4} at epoch {state.BestEpoch}).");
                        }
                    }
                }

                if (!stop && overBudget)
                {
                    stopReason = "time-budget";
                    stop = true;
                    Info($"Stopping after epoch {epoch + 1}: the training time budget of {_options.MaxTrainingTime} is spent.");
                }

                if (checkpointDir is not null)
                {
                    // The end-of-epoch checkpoint also records how the run ended, so a rerun on the same folder knows
                    // there is nothing left to resume instead of training past an early stop.
                    state.Epoch = epoch + 1;
                    state.Completed = stop || lastEpoch;
                    state.StopReason = stopReason;
                    state.LastEpochLoss = lastEpochLoss;
                    state.ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
                    state.Save(checkpointDir, module, optimizer, bestWeights);
                }

                if (stop)
                {
                    epoch++;
                    break;
                }
            }

            if (bestWeights != null)
            {
                Restore(module, bestWeights);
            }
        }
        finally
        {
            DisposeAll(bestWeights);
        }

        module.eval();
        WarnIfValidationNeverImproved(state.Curve);
        return new TrainingResult
        {
            EpochsCompleted = epoch,
            Steps = state.Step,
            TrainingTime = clock.Elapsed,
            PreparationTime = _spentBeforeRun,
            BestValidationMetric = state.BestMetric,
            BestEpoch = state.BestEpoch,
            FinalLoss = lastEpochLoss,
            ExamplesPerSecond = examplesTotal / Math.Max(1e-9, clock.Elapsed.TotalSeconds),
            StopReason = TrainingResult.ParseStopReason(stopReason),
            ValidationCurve = state.Curve.Select(p => (p.Seconds, p.Epoch, p.Metric)).ToArray(),
        };
    }

    /// <summary>A completed run under the same fingerprint: its best weights are the model; say so loudly.</summary>
    private TrainingResult ReuseCompleted(nn.Module module, TrainingCheckpoint state, Dictionary<string, Tensor>? bestWeights, string directory)
    {
        try
        {
            if (bestWeights != null)
            {
                Restore(module, bestWeights);
            }
        }
        finally
        {
            DisposeAll(bestWeights);
        }

        _channel.Warning(MessageSensitivity.None, "{0}",
            $"The checkpoint folder '{directory}' holds a completed run with the same data, options and seed (stopped by {state.StopReason} after epoch {state.Epoch}): " +
            "returning its model without training. Delete the folder to train again.");
        module.eval();
        return new TrainingResult
        {
            EpochsCompleted = state.Epoch,
            Steps = state.Step,
            TrainingTime = TimeSpan.Zero,
            BestValidationMetric = state.BestMetric,
            BestEpoch = state.BestEpoch,
            FinalLoss = state.LastEpochLoss,
            ExamplesPerSecond = 0,
            StopReason = TrainingResult.ParseStopReason(state.StopReason),
            ValidationCurve = state.Curve.Select(p => (p.Seconds, p.Epoch, p.Metric)).ToArray(),
            ReusedCompletedCheckpoint = true,
        };
    }

    private double Step<TBatch>(ITrainableModel<TBatch> model, TBatch batch, nn.Module module, optim.Optimizer optimizer, int epoch, long step)
    {
        using DisposeScope scope = NewDisposeScope();
        optimizer.zero_grad();
        double value = 0;
        foreach ((TBatch part, double share) in model.SplitIntoPasses(batch))
        {
            // Gradient accumulation: each pass adds its share of the batch's gradient, and its activations are freed before the next.
            using DisposeScope passScope = NewDisposeScope();
            Tensor loss = model.ComputeLoss(part);
            double partValue = loss.item<float>();
            if (!double.IsFinite(partValue))
            {
                throw new InvalidOperationException(
                    $"Training diverged: the loss is {partValue} at epoch {epoch + 1}, step {step + 1}. Lower LearningRate or enable GradientClipNorm.");
            }

            (share == 1.0 ? loss : loss.Times(share)).backward();
            value += share * partValue;
        }

        NoCollectionRegion.Run(() =>
        {
            if (_options.GradientClipNorm > 0)
            {
                nn.utils.clip_grad_norm_(module.parameters(), _options.GradientClipNorm);
            }

            optimizer.step(); // TorchSharp's AdamW creates temporary Scalars: see NoCollectionRegion
        });
        return value;
    }

    private static double? ValidateModel<TBatch>(ITrainableModel<TBatch> model)
    {
        model.Module.eval();
        try
        {
            using var noGrad = no_grad();
            return model.Validate();
        }
        finally
        {
            model.Module.train();
        }
    }

    // The time-budget schedule counts the time spent before the loop too: the budget covers the whole fit.
    private double LearningRateAt(long step, long plannedSteps, double elapsedSeconds) =>
        LearningRateCurve.At(_options, step, plannedSteps, elapsedSeconds + _spentBeforeRun.TotalSeconds);

    private bool OverBudget(Stopwatch clock) => _options.MaxTrainingTime is { } budget && clock.Elapsed + _spentBeforeRun >= budget;

    private void Report(int epoch, long step, double loss, double rate, TimeSpan elapsed, double? metric, double lr)
    {
        var progress = new TrainingProgress(epoch + 1, step, loss, rate, elapsed, metric, lr);
        _options.Progress?.Report(progress);
        string validation = metric is { } m ? $", validation {m:F4}" : "";
        Info($"epoch {epoch + 1} step {step}: loss {loss:F4}, {rate:F0} examples/s, lr {lr:G3}{validation}");
    }

    private void Info(string message) => _channel.Info(MessageSensitivity.None, "{0}", message);

    /// <summary>
    /// Warns when validation ran more than once and the first result was never beaten: the returned model is then
    /// the first-validated one, which usually means the learning rate, the epochs or the patience do not suit the data.
    /// </summary>
    private void WarnIfValidationNeverImproved(IReadOnlyList<TrainingCheckpoint.CurvePoint> curve)
    {
        if (curve.Count < 2 || curve.Skip(1).Any(point => point.Metric > curve[0].Metric))
        {
            return;
        }

        _channel.Warning(MessageSensitivity.None, "{0}",
            $"Validation never improved on its first result ({curve[0].Metric:F4} at epoch {curve[0].Epoch}; {curve.Count} validations): " +
            "the model is the one from that epoch. Try a larger LearningRate, more NumberOfEpochs or a larger EarlyStoppingPatience.");
    }

    internal static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        var copy = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in module.state_dict())
        {
            copy[name] = tensor.detach().clone().MoveToOuterDisposeScope();
        }

        return copy;
    }

    private static void Restore(nn.Module module, Dictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            tensor.copy_(weights[name]);
        }
    }

    internal static void DisposeAll(Dictionary<string, Tensor>? weights)
    {
        if (weights == null)
        {
            return;
        }

        foreach (Tensor tensor in weights.Values)
        {
            tensor.Dispose();
        }

        weights.Clear();
    }
}
