using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>decode-latency-beauty</c>: per-user latency of TIGER-style beam search (beam 20, top 10, batched) against
/// TokenRec-style generative retrieval (one encoder pass + one cosine matrix product), for the same Beauty test users
/// in the same run. Both models are trained only briefly (--train-seconds each): latency is set by the architecture
/// and the trie, not by how well the weights are trained, so quality is not reported here.
/// </summary>
internal sealed class DecodeLatencyBeautyBenchmark : IBenchmark
{
    public string Name => "decode-latency-beauty";

    public string Description => "per-user latency: beam 20 / top-10 (batched) vs generative retrieval, same Beauty test users, same run";

    public IReadOnlyCollection<string> ExtraOptions => ["users", "train-seconds", "batch-size"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        LeaveOneOutSplit split = BenchmarkDatasets.BeautyLeaveOneOut(beauty);
        SemanticIdTable letterCodes = SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json"));
        int userCount = context.IntOption("users", 2000);
        int batchSize = context.IntOption("batch-size", 128);
        TimeSpan budget = TimeSpan.FromSeconds(context.IntOption("train-seconds", 60));
        RecommendationRequest[] requests = [.. split.TestCases.Take(userCount).Select(c => new RecommendationRequest(c.UserIndex, c.History))];
        var ml = new MLContext(context.Seed);

        var generativeOptions = new GenerativeRecommenderOptions { NumberOfEpochs = 1, MaxTrainingTime = budget, BeamSize = 20, DecodeBatchSize = batchSize, Seed = context.Seed, LogEveryNSteps = 1000 };
        using GenerativeRecommenderModel generative = context.Time("train the encoder-decoder briefly", () => GenerativeRecommenderTrainer.Train(ml, letterCodes, split.TrainSequences, null, generativeOptions, out _)).Value;

        // Retrieval needs CF item embeddings and K-way codes for users and items: MF for the embeddings.
        int[][] train = [.. split.TrainSequences];
        var cfOptions = new CollaborativeEmbeddingOptions { Model = CollaborativeModelKind.MatrixFactorization, BatchSize = 2048, NumberOfEpochs = 100, MaxTrainingTime = budget, Seed = context.Seed, LogEveryNSteps = 1000 };
        using CollaborativeEmbeddingModel cf = context.Time("train MF briefly", () => CollaborativeEmbeddingTrainer.Train(ml, new CollaborativeTrainingData(split.UserCount, split.ItemCount, train), cfOptions, null, out _)).Value;
        var kwayOptions = new MaskedKWayOptions { NumberOfEpochs = 100, MaxTrainingTime = budget / 2, Seed = context.Seed, LogEveryNSteps = 1000 };
        using MaskedKWayModel userTokens = context.Time("K-way user codes", () => MaskedKWayTrainer.Train(ml, cf.UserEmbeddings.ToArray(), cf.UserCount, cf.Dimension, kwayOptions, out _)).Value;
        using MaskedKWayModel itemTokens = context.Time("K-way item codes", () => MaskedKWayTrainer.Train(ml, cf.ItemEmbeddings.ToArray(), cf.ItemCount, cf.Dimension, kwayOptions, out _)).Value;
        var retrievalOptions = new GenerativeRetrievalOptions { NumberOfEpochs = 1, MaxTrainingTime = budget, RecommendBatchSize = batchSize, Seed = context.Seed, LogEveryNSteps = 1000 };
        using GenerativeRetrievalModel retrieval = context.Time("train generative retrieval briefly", () =>
            GenerativeRetrievalTrainer.Train(ml, userTokens.Codes, itemTokens.Codes, cf.ItemEmbeddings.ToArray(), cf.Dimension, train, null, retrievalOptions, out _)).Value;

        double beamMs = MillisecondsPerUser(context, "beam 20 / top 10", generative, requests, batchSize);
        double retrievalMs = MillisecondsPerUser(context, "generative retrieval / top 10", retrieval, requests, batchSize);
        return new BenchmarkResult()
            .Count("users", requests.Length)
            .Count("batch_size", batchSize)
            .Add("beam_ms_per_user", beamMs.ToString("F3", CultureInfo.InvariantCulture))
            .Add("retrieval_ms_per_user", retrievalMs.ToString("F3", CultureInfo.InvariantCulture))
            .Add("beam_over_retrieval", (beamMs / retrievalMs).ToString("F1", CultureInfo.InvariantCulture));
    }

    private static double MillisecondsPerUser(BenchmarkContext context, string what, IRecommender model, RecommendationRequest[] requests, int batchSize)
    {
        model.Recommend(requests.Take(batchSize).ToArray(), 10, excludeHistory: false); // warm-up: first-call allocations and kernels
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < requests.Length; start += batchSize)
        {
            model.Recommend(requests.Skip(start).Take(batchSize).ToArray(), 10, excludeHistory: false);
        }

        double perUser = clock.Elapsed.TotalMilliseconds / requests.Length;
        context.Log($"{what}: {clock.Elapsed.TotalSeconds:F2} s for {requests.Length:N0} users in batches of {batchSize} = {perUser:F3} ms/user");
        return perUser;
    }
}
