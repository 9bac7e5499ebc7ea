using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Fits the <see cref="UserCodeDecoder"/> to the CF user embeddings (mean squared error, every user with codes and an
/// embedding, shuffled mini-batches) through the shared <see cref="TrainingLoop"/>, before retrieval training starts.
/// The CF user embeddings are only a target here: the trained model still sees a user through their codes alone.
/// </summary>
internal sealed class UserCodeDistillation : ITrainableModel<int[]>
{
    private const string ComponentName = "GenerativeRetrieval.UserCodeAnchor";

    private readonly UserCodeDecoder _decoder;
    private readonly RetrievalPromptBuilder _prompts;
    private readonly Tensor _targets;
    private readonly int _users;
    private readonly int _batchSize;
    private readonly Device _device;

    private UserCodeDistillation(UserCodeDecoder decoder, RetrievalPromptBuilder prompts, Tensor targets, int users, int batchSize, Device device)
    {
        _decoder = decoder;
        _prompts = prompts;
        _targets = targets;
        _users = users;
        _batchSize = batchSize;
        _device = device;
    }

    public nn.Module Module => _decoder;

    public int BatchesPerEpoch => (_users + _batchSize - 1) / _batchSize;

    /// <summary>
    /// Trains <paramref name="decoder"/> (already on <paramref name="device"/>) for
    /// <see cref="GenerativeRetrievalOptions.UserCodeAnchorEpochs"/> epochs, on the users that have both codes and a CF
    /// embedding. Constant learning rate, no weight decay (it would shrink the decoded vectors the ranking reads), no
    /// validation, no checkpoint (a rerun repeats this short fit), no progress reports (they would restart the
    /// caller's epoch count).
    /// </summary>
    /// <returns>What the loop did; its last epoch loss is the final mean squared error per feature.</returns>
    public static TrainingResult Fit(MLContext mlContext, UserCodeDecoder decoder, RetrievalPromptBuilder prompts, float[] cfUserEmbeddings, int userCount,
        int cfDimension, GenerativeRetrievalOptions options, int seed, Device device)
    {
        GenerativeRetrievalOptions fit = options.Clone();
        fit.NumberOfEpochs = options.UserCodeAnchorEpochs;
        fit.LearningRateSchedule = LearningRateSchedule.Constant;
        fit.WarmupSteps = 0;
        fit.WeightDecay = 0;
        fit.EarlyStoppingPatience = 0;
        fit.ValidateEveryNEpochs = 1;
        fit.CheckpointDirectory = null;
        fit.Progress = null;
        using var scope = NewDisposeScope();
        Tensor targets = tensor(cfUserEmbeddings.AsSpan(0, userCount * cfDimension).ToArray(), new long[] { userCount, cfDimension }, device: device);
        var distillation = new UserCodeDistillation(decoder, prompts, targets, userCount, options.BatchSize, device);
        return new TrainingLoop(mlContext, fit, ComponentName).Run(distillation, seed);
    }

    public IEnumerable<int[]> EnumerateBatches(int epoch, Random random)
    {
        int[] order = Enumerable.Range(0, _users).ToArray();
        random.Shuffle(order);
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            yield return order[start..Math.Min(order.Length, start + _batchSize)];
        }
    }

    public Tensor ComputeLoss(int[] users)
    {
        long[] tokens = _prompts.BuildUserOnly(users, out int length);
        Tensor decoded = _decoder.forward(tensor(tokens, new long[] { users.Length, length }, device: _device));
        Tensor target = _targets.index_select(0, tensor(users.Select(user => (long)user).ToArray(), device: _device));
        return nn.functional.mse_loss(decoded, target);
    }

    public int CountExamples(int[] users) => users.Length;

    public double? Validate() => null;
}
