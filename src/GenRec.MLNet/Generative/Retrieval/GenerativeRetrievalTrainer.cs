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
        IReadOnlyList<int[]> trainSets, IReadOnlyList<EvaluationCase>? validation, GenerativeRetrievalOptions options, out TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int itemCount = RetrievalInputs.CheckEmbeddings(cfItemEmbeddings, cfDimension);
        RetrievalInputs.CheckTrainSets(trainSets, itemCount);
        RetrievalInputs.CheckCodes(userCodes, itemCodes, options, trainSets.Count, itemCount);

        var loop = new TrainingLoop(mlContext, options, ComponentName);
        var (device, seed) = TorchEnvironment.PrepareTraining(mlContext, options, ComponentName);

        RetrievalPromptBuilder prompts = CreatePrompts(options, userCodes, itemCodes);
        var network = new RetrievalEncoderNetwork(prompts.VocabularySize, options, cfDimension);
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
            result = loop.Run(trainable, seed, data => data.Add(userCodes).Add(itemCodes).Add(cfDimension).Add(cfItemEmbeddings).Add(trainSets).Add(validation));
            return new GenerativeRetrievalModel(options, userCodes, itemCodes, network, scorer, items, cfDimension, device);
        }
        catch
        {
            items?.Dispose();
            network.Dispose();
            throw;
        }
    }

    /// <summary>The prompt layout of <paramref name="options"/>: only the tables the options use shape the vocabulary.</summary>
    internal static RetrievalPromptBuilder CreatePrompts(GenerativeRetrievalOptions options, SemanticIdTable? userCodes, SemanticIdTable? itemCodes) =>
        new(options.UseUserTokens ? userCodes : null, options.UseHistoryTokens ? itemCodes : null, options.MaxHistoryLength);
}
