using System.Diagnostics;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Sweeping;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>sweep-movielens</c>: does a hyperparameter sweep find better options than the defaults? MovieLens latest-small,
/// 5-core; item text = title and genres (no tags) → <see cref="ContentVectorizers.TextToDenseVector"/> (TF-IDF + PCA to
/// 64) → RQ-VAE semantic IDs → decoder-only generative recommender, one pipeline over interaction rows. Leave-one-out
/// with validation: the sweep (<c>--minutes</c>, default 20; successive halving over epochs unless
/// <c>--tuner random</c>; recommender epochs 1 → 2 → 4, η = 2, sized so that one bracket fits 20 minutes on 2 shared
/// cores) fits on train and scores on validation only. Then the best trial's options and the default
/// options are each refitted on train + validation with the same seed and scored once on the test rows.
/// </summary>
/// <remarks>
/// The text vectors are computed once, before the sweep, from the item table (the vectorizer does not learn from
/// interactions) and attached to every row as the <c>Features</c> column, so trials do not repeat the same TF-IDF fit.
/// </remarks>
internal sealed class SweepMovieLensBenchmark : IBenchmark
{
    private const int TextDimension = 64;
    private static readonly int[] Ks = [10];

    public string Name => "sweep-movielens";

    public string Description => "ml-latest-small 5-core, titles+genres -> TF-IDF+PCA -> RQ-VAE -> generative: sweep on validation, best vs default options on test";

    public IReadOnlyCollection<string> ExtraOptions => ["tuner", "max-trials"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        string folder = context.DataFolder("ml-latest-small");
        InteractionDataset movies = context.Time("load ml-latest-small (titles + genres, no tags), 5-core", () =>
            KCoreFilter.Apply(MovieLensLoader.Load(Path.Combine(folder, "ratings.csv"), Path.Combine(folder, "movies.csv")).OrderByTime(), 5)).Value;
        context.Log($"{movies}; example text: \"{movies.ItemText?[0]}\"");
        var ml = new MLContext(context.Seed);
        float[][] vectors = context.Time($"TextToDenseVector (TF-IDF + PCA to {TextDimension})", () => Vectorize(ml, movies)).Value;
        IDataView rows = ml.Data.Cache(ml.Data.LoadFromEnumerable(Rows(movies, vectors)));
        var genRec = ml.GenerativeRecommendation();
        InteractionSplit split = genRec.LeaveOneOutSplit(rows, nameof(MovieRow.User), nameof(MovieRow.Item), nameof(MovieRow.Timestamp), withValidation: true);
        InteractionSplit final = genRec.LeaveOneOutSplit(rows, nameof(MovieRow.User), nameof(MovieRow.Item), nameof(MovieRow.Timestamp), withValidation: false);
        context.Log($"sweep split: {split}; final split: {final}");

        double minutes = context.Minutes ?? 20;
        SweepTuner tuner = context.Option("tuner") switch
        {
            null or "sh" or "successive-halving" => SweepTuner.SuccessiveHalving,
            "random" => SweepTuner.RandomSearch,
            string other => throw new UsageException($"--tuner must be sh or random; got '{other}'."),
        };
        SearchSpace<GenerativePipelineOptions> space = Space();
        context.Log("search space:\n  " + space.ToString().Replace(Environment.NewLine, Environment.NewLine + "  ", StringComparison.Ordinal));
        var experiment = genRec.Sweep(space, Pipeline)
            .SetDataset(split)
            .SetTrainingTimeInSeconds((uint)Math.Max(1, Math.Round(minutes * 60)))
            .SetSeed(context.Seed)
            .SetTuner(tuner, reductionFactor: 2);
        if (context.Option("max-trials") is not null)
        {
            experiment.SetMaxTrials(context.IntOption("max-trials", 0));
        }

        var progress = new SynchronousProgress<TrialResult<GenerativePipelineOptions>>(trial => context.Log(trial.ToString()));
        SweepResult<GenerativePipelineOptions> result = experiment.RunAsync(progress, context.CancellationToken).GetAwaiter().GetResult();
        context.Log(result.ToString());
        context.LogTable(BenchmarkTables.Trials(result));
        DisposeStages(result.BestModel);

        var (best, bestSeconds) = context.Time("refit the best trial's options on train + validation, score test", () => FitAndTest(context.Seed, result.BestTrial.Options, final));
        var (fallback, defaultSeconds) = context.Time("refit the default options on train + validation, score test", () => FitAndTest(context.Seed, Defaults(), final));
        context.Log($"test Recall@10: best trial's options {best.Recall(10):F4}, default options {fallback.Recall(10):F4}");

        return new BenchmarkResult()
            .Count("trials", result.Trials.Count)
            .Count("completed_trials", result.Trials.Count(t => t.Status == TrialStatus.Completed))
            .Count("best_trial", result.BestTrial.Id)
            .Metric("best_valid_recall_10", result.BestTrial.ValidationRecallAt10)
            .Metric("best_valid_ndcg_10", result.BestTrial.ValidationNdcgAt10)
            .Metric("default_valid_recall_10", result.DefaultsTrial?.ValidationRecallAt10 ?? double.NaN)
            .Metric("best_lead_standard_errors", result.BestLeadOverDefaultsInStandardErrors)
            .Metric("best_test_recall_10", best.Recall(10))
            .Metric("best_test_ndcg_10", best.Ndcg(10))
            .Metric("default_test_recall_10", fallback.Recall(10))
            .Metric("default_test_ndcg_10", fallback.Ndcg(10))
            .Add("tuner", tuner.ToString())
            .Add("stop", result.StopReason.ToString())
            .Seconds("sweep_seconds", result.Duration)
            .Seconds("best_refit_seconds", bestSeconds)
            .Seconds("default_refit_seconds", defaultSeconds)
            .Seconds("seconds", total.Elapsed);
    }

    /// <summary>
    /// The options a user starts from: the README's recommender sizes, a 3 × 32 RQ-VAE over the text vectors, and the
    /// sweep's largest budget (4 epochs over ~89,000 training prefixes), so that default and best train equally long.
    /// </summary>
    private static GenerativePipelineOptions Defaults() => new()
    {
        Tokenizer = new SemanticIdTokenizerOptions
        {
            ContentColumnName = nameof(MovieRow.Features),
            RqVae = new RqVaeOptions
            {
                Levels = 3, CodebookSize = 32, CodeDimension = 16, EncoderLayerSizes = [64], NumberOfEpochs = 60,
                CollaborativeWeight = 0, // the pipeline has no CF column; text is the only signal
            },
            // Used when a trial picks residual k-means (the Method dimension): the RQ-VAE's level and codebook sizes.
            ResidualKMeans = new ResidualKMeansOptions { Levels = 3, CodebookSize = 32 },
        },
        Recommender = new GenerativeRecommenderOptions
        {
            TimestampColumnName = nameof(MovieRow.Timestamp),
            Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
            DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
            NumberOfEpochs = 4, LearningRate = 3e-3, EarlyStoppingPatience = 3, BatchSize = 512,
        },
    };

    private static SearchSpace<GenerativePipelineOptions> Space() => new SearchSpace<GenerativePipelineOptions>(Defaults)
        .Choice(o => o.Tokenizer.Method, SemanticIdMethod.RqVae, SemanticIdMethod.ResidualKMeans)
        .Choice(o => o.Tokenizer.RqVae.CodebookSize, 16, 32, 64)
        .Choice(o => o.Tokenizer.ResidualKMeans.CodebookSize, 16, 32, 64)
        .Uniform(o => o.Tokenizer.RqVae.DiversityWeight, 1e-5, 1e-2, logScale: true)
        .Uniform(o => o.Recommender.LearningRate, 3e-4, 1e-2, logScale: true)
        .Integer(o => o.Recommender.DecoderLayers, 1, 3)
        .Choice(o => o.Recommender.ModelDimension, 32, 64, 128)
        .Choice(o => o.Recommender.MaxHistoryLength, 10, 20, 50)
        .Uniform(o => o.Recommender.Dropout, 0, 0.3)
        .Choice(o => o.Recommender.BatchSize, 128, 256, 512)
        .Budget(o => o.Recommender.NumberOfEpochs, 1, 4);

    /// <summary>One trial's whole pipeline from raw rows: key mappings, then the tokenizer and the recommender.</summary>
    private static IEstimator<ITransformer> Pipeline(MLContext ml, GenerativePipelineOptions options) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(MovieRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(MovieRow.Item)))
            .Append(ml.GenerativeRecommendation().GenerativePipeline(options));

    private static RecommendationMetrics FitAndTest(int seed, GenerativePipelineOptions options, InteractionSplit split)
    {
        var ml = new MLContext(seed);
        ITransformer model = Pipeline(ml, options).Fit(split.Train);
        try
        {
            return ml.GenerativeRecommendation().Evaluate(model.Transform(split.Test), ks: Ks);
        }
        finally
        {
            DisposeStages(model);
        }
    }

    private static void DisposeStages(ITransformer model)
    {
        foreach (IDisposable stage in (model as IEnumerable<ITransformer> ?? []).OfType<IDisposable>())
        {
            stage.Dispose();
        }
    }

    private static float[][] Vectorize(MLContext ml, InteractionDataset movies)
    {
        IDataView items = ml.Data.LoadFromEnumerable(Enumerable.Range(0, movies.ItemCount).Select(i => new ItemText { Text = movies.ItemText?[i] ?? string.Empty }));
        var estimator = ContentVectorizers.TextToDenseVector(ml, "Vector", nameof(ItemText.Text), new TextVectorOptions { Dimension = TextDimension });
        return [.. estimator.Fit(items).Transform(items).GetColumn<float[]>("Vector")];
    }

    private static IEnumerable<MovieRow> Rows(InteractionDataset movies, float[][] vectors)
    {
        long[] time = movies.Timestamps ?? throw new InvalidOperationException("MovieLens ratings have timestamps; none were loaded.");
        for (int i = 0; i < movies.InteractionCount; i++)
        {
            int item = movies.ItemIndices[i];
            yield return new MovieRow { User = movies.UserIds[movies.UserIndices[i]], Item = movies.ItemIds[item], Timestamp = time[i], Features = vectors[item] };
        }
    }

    private sealed class MovieRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        [VectorType(TextDimension)]
        public float[] Features { get; set; } = [];
    }

    private sealed class ItemText
    {
        public string Text { get; set; } = string.Empty;
    }

    /// <summary>Reports on the sweep's own thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
