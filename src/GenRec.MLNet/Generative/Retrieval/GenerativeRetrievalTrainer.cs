using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Trains TokenRec-style generative retrieval on in-memory data through the shared <see cref="TrainingLoop"/>. Typical
/// inputs: CF user and item embeddings from <see cref="Collaborative.CollaborativeEmbeddingTrainer"/> (e.g. LightGCN),
/// user and item codes from <see cref="Tokenization.MaskedKWay.MaskedKWayTrainer"/> trained on those embeddings.
/// </summary>
internal static class GenerativeRetrievalTrainer
{
    private const string ComponentName = "GenerativeRetrieval";

    /// <summary>Trains a retrieval model.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="userCodes">Codes of every user (row = user index), at least <c>trainSets.Count</c> rows; required when <see cref="GenerativeRetrievalOptions.UseUserTokens"/>.</param>
    /// <param name="itemCodes">Codes of every item (row = item index), one row per CF item embedding; required when <see cref="GenerativeRetrievalOptions.UseHistoryTokens"/>.</param>
    /// <param name="cfItemEmbeddings">Fixed CF item embeddings, row-major [items × cfDimension]; the model learns to point at them and never changes them.</param>
    /// <param name="cfDimension">Length of one CF embedding.</param>
    /// <param name="trainSets">Per user, the training items (an unordered set; duplicates count once).</param>
    /// <param name="validation">Cases for early stopping on the ValidationMetric (Recall@10 by default) with history excluded, or null.</param>
    /// <param name="options">Model and training options.</param>
    /// <param name="result">What the training loop did.</param>
    /// <exception cref="ArgumentException">Dimension mismatch, NaN/infinite embeddings, code tables that do not cover the users or items, items out of range, or no training items.</exception>
    public static GenerativeRetrievalModel Train(MLContext mlContext, SemanticIdTable? userCodes, SemanticIdTable? itemCodes, float[] cfItemEmbeddings, int cfDimension,
        IReadOnlyList<int[]> trainSets, IReadOnlyList<EvaluationCase>? validation, GenerativeRetrievalOptions options, out TrainingResult result) =>
        Train(mlContext, userCodes, itemCodes, cfItemEmbeddings, cfDimension, null, trainSets, validation, options, out result);

    /// <summary>Trains a retrieval model; with <see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/> the CF user embeddings are the decoder's target.</summary>
    /// <param name="mlContext">Supplies the log, the seed and the GPU preference.</param>
    /// <param name="userCodes">Codes of every user (row = user index).</param>
    /// <param name="itemCodes">Codes of every item (row = item index).</param>
    /// <param name="cfItemEmbeddings">Fixed CF item embeddings, row-major [items × cfDimension].</param>
    /// <param name="cfDimension">Length of one CF embedding.</param>
    /// <param name="cfUserEmbeddings">
    /// CF user embeddings, row-major [users × cfDimension], covering every user of <paramref name="trainSets"/>: the target
    /// the user-code decoder is fitted to. Required with <see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/>, ignored otherwise.
    /// </param>
    /// <param name="trainSets">Per user, the training items.</param>
    /// <param name="validation">Cases for early stopping, or null.</param>
    /// <param name="options">Model and training options.</param>
    /// <param name="result">What the retrieval training loop did.</param>
    public static GenerativeRetrievalModel Train(MLContext mlContext, SemanticIdTable? userCodes, SemanticIdTable? itemCodes, float[] cfItemEmbeddings, int cfDimension,
        float[]? cfUserEmbeddings, IReadOnlyList<int[]> trainSets, IReadOnlyList<EvaluationCase>? validation, GenerativeRetrievalOptions options, out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int itemCount = RetrievalInputs.CheckEmbeddings(cfItemEmbeddings, cfDimension);
        RetrievalInputs.CheckTrainSets(trainSets, itemCount);
        RetrievalInputs.CheckCodes(userCodes, itemCodes, options, trainSets.Count, itemCount);
        int anchorUsers = options.UseUserCodeAnchor ? RetrievalInputs.CheckUserEmbeddings(cfUserEmbeddings, cfDimension, trainSets.Count, userCodes!.ItemCount) : 0;

        var loop = new TrainingLoop(mlContext, options, ComponentName);
        var (device, seed) = TorchEnvironment.PrepareTraining(mlContext, options, ComponentName);

        RetrievalPromptBuilder prompts = CreatePrompts(options, userCodes, itemCodes);
        var network = new RetrievalEncoderNetwork(prompts, options, cfDimension);
        Tensor? items = null;
        try
        {
            // A private generator on the CPU: torch's global one is shared by every training in the process (tests run
            // in parallel), and initializing before moving to the device gives the same weights on CPU and CUDA.
            using (var generator = new Generator((ulong)(uint)seed, CPU))
            {
                network.ResetParameters(generator);
            }

            network.to(device);
            items = RetrievalInputs.ScoringItems(cfItemEmbeddings, itemCount, cfDimension, options.Similarity, device);
            int userCount = userCodes?.ItemCount ?? 0;
            var scorer = new RetrievalScorer(network, prompts, items, options.Similarity, userCount, options.RecommendBatchSize, device);
            var trainable = new RetrievalTrainable(network, prompts, scorer, items, trainSets, validation, options, device);
            TimeSpan anchorTime = network.UserCodeDecoder is { } decoder
                ? FitAnchor(mlContext, decoder, prompts, cfUserEmbeddings!, anchorUsers, cfDimension, options, seed, device)
                : TimeSpan.Zero;
            result = loop.Run(trainable, seed, data => data.Add(userCodes).Add(itemCodes).Add(cfDimension).Add(cfItemEmbeddings).Add(trainSets).Add(validation).Add(options.UseUserCodeAnchor ? cfUserEmbeddings : null), anchorTime);
            return new GenerativeRetrievalModel(options, userCodes, itemCodes, network, scorer, items, cfDimension, device);
        }
        catch
        {
            items?.Dispose();
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fits the user-code decoder to the CF user embeddings and freezes it: retrieval training then moves only the
    /// correction, and validates the decoded users alone first (epoch 0).
    /// </summary>
    /// <returns>The time spent, which counts against the retrieval budget.</returns>
    private static TimeSpan FitAnchor(MLContext mlContext, UserCodeDecoder decoder, RetrievalPromptBuilder prompts, float[] cfUserEmbeddings, int users, int cfDimension,
        GenerativeRetrievalOptions options, int seed, Device device)
    {
        TrainingResult fit = UserCodeDistillation.Fit(mlContext, decoder, prompts, cfUserEmbeddings, users, cfDimension, options, seed, device);
        foreach (TorchSharp.Modules.Parameter parameter in decoder.parameters())
        {
            parameter.requires_grad = false;
        }

        using Microsoft.ML.Runtime.IChannel channel = ((Microsoft.ML.Runtime.IHostEnvironment)mlContext).Register(ComponentName).Start("UserCodeAnchor");
        channel.Info(Microsoft.ML.Runtime.MessageSensitivity.None,
            $"User-code anchor: decoder fitted to {users:N0} CF user embeddings in {fit.EpochsCompleted} epochs ({fit.TrainingTime.TotalSeconds:F0} s), final mean squared error {fit.FinalLoss:G4}; retrieval training starts from the decoded users.");
        return fit.TrainingTime;
    }

    /// <summary>The prompt layout of <paramref name="options"/>: only the tables the options use shape the vocabulary.</summary>
    internal static RetrievalPromptBuilder CreatePrompts(GenerativeRetrievalOptions options, SemanticIdTable? userCodes, SemanticIdTable? itemCodes) =>
        new(options.UseUserTokens ? userCodes : null, options.UseHistoryTokens ? itemCodes : null, options.MaxHistoryLength);
}
