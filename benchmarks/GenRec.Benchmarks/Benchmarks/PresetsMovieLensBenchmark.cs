using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization.Text;
using Spectre.Console;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>presets-movielens</c> (issue 10, "recipes must transfer"): the library's defaults and the papers' presets
/// (<c>GenRecPresets.Tiger()</c>, <c>.Letter()</c>, <c>.TokenRec()</c>) run end to end on MovieLens latest-small,
/// 5-core, under one protocol: item text = title + genres → the built-in MiniLM encoder, SASRec item embeddings where
/// a recipe reads <c>ItemEmbedding</c>, one ML.NET pipeline per row (<see cref="PresetRowPipeline"/>: Fit, Save, Load
/// in a fresh MLContext, Transform the test rows, Evaluate). Each preset keeps its values except the training length
/// (<see cref="PresetRowOptions"/>), sized to <c>--minutes</c> per row (default 4). Popularity, co-occurrence and the
/// SASRec stage's own ranking are scored on the same split and test rows.
/// </summary>
/// <remarks>
/// Protocol: leave-one-out with validation (<see cref="MovieLensTextSplit"/>): each user's last movie is the test
/// target, the one before it every trainer's validation item; full ranking over all movies; the user's own movies stay
/// in the ranking (TIGER's protocol) unless <c>--exclude-history 1</c> (as <c>sasrec-beauty</c>). The rows are chosen
/// by <c>--rows</c> and checked, like the data folder, before anything loads or trains. The MiniLM vectors of the
/// 3,650 movie texts are cached in <c>benchmarks/out/movielens-minilm-vectors.bin</c> (<c>--text-cache</c>).
/// </remarks>
internal sealed class PresetsMovieLensBenchmark : IBenchmark
{
    /// <summary>Default <c>--minutes</c>: the training budget of each row (tokenizer + recommender).</summary>
    public const double DefaultMinutesPerRow = 4;

    /// <summary>Default <c>--sasrec-minutes</c>: the SASRec stage's budget in each row that has it.</summary>
    public const double DefaultSasRecMinutes = 1;

    private static readonly int[] Ks = [10];

    public string Name => "presets-movielens";

    public string Description => "ml-latest-small 5-core, title+genres -> MiniLM, SASRec: library defaults vs GenRecPresets Tiger/Letter/TokenRec (shortened to --minutes per row, default 4) vs popularity, co-occurrence, SASRec; one ML.NET Fit/Save/Load per row; --rows default,tiger,letter,tokenrec";

    public IReadOnlyCollection<string> ExtraOptions =>
        ["rows", "exclude-history", "tokenizer-epochs", "samples-per-second", "sasrec-minutes", "sasrec-epochs", "sasrec-validation-users", "text-cache", "text-batch", "text-threads"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        Settings settings = ReadSettings(context);
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"rows: {string.Join(", ", settings.Rows)}; {settings.Minutes} minutes per row (tokenizer {settings.Length.TokenizerBudget.TotalSeconds:F0} s, recommender {settings.Length.RecommenderBudget.TotalSeconds:F0} s), SASRec {settings.SasRecMinutes} minutes where read; history {(settings.Protocol.ExcludeHistory ? "excluded from" : "kept in")} the ranking"));

        var (movies, _) = context.Time("load ml-latest-small (titles + genres, no tags), 5-core", () => BenchmarkDatasets.LoadMovieLensTitlesFiveCore(context));
        context.Log($"{movies}; example text: \"{movies.ItemText?[0]}\"");
        string[] texts = [.. (movies.ItemText ?? throw new InvalidDataException("ml-latest-small loaded without movie texts.")).Select(t => t ?? string.Empty)];
        if (settings.Rows.Any(r => r.ReadsText))
        {
            var (embedTime, cached) = PipelineTextBeautyBenchmark.EmbedItemTexts(context, texts, "movielens-minilm-vectors.bin");
            context.Log(string.Create(CultureInfo.InvariantCulture, $"MiniLM vectors of {texts.Length:N0} movie texts: {embedTime.TotalSeconds:F1} s{(cached ? " (cache)" : string.Empty)}"));
        }

        MovieLensTextSplit split = MovieLensTextSplit.Create(movies);
        context.Log($"split: {split.TrainRows.Count:N0} training rows, {split.TestRows.Count:N0} test users, {split.ItemCount:N0} movies");
        var ((popularity, coOccurrence), _) = context.Time("popularity and co-occurrence on the same split", () =>
            split.Baselines(Ks, settings.Protocol.ExcludeHistory, context.CancellationToken));

        var outcomes = new List<PresetRowOutcome>();
        foreach (PresetRow row in settings.Rows)
        {
            context.Log($"=== row {row}: {row.Description}");
            outcomes.Add(PresetRowPipeline.FitAndScore(context, row, settings.Length, settings.Protocol, split));
        }

        int testUsers = CheckSameUsers(outcomes, popularity);
        PresetRowOutcome? sasRecRow = outcomes.FirstOrDefault(o => o.SasRecTest is not null);
        context.Log($"summary ({testUsers:N0} test users, {settings.Minutes.ToString(CultureInfo.InvariantCulture)} minutes per row):");
        context.LogTable(Summary(outcomes, popularity, coOccurrence, sasRecRow));
        if (sasRecRow is null)
        {
            context.Log("no chosen row has the SASRec stage, so there is no SASRec baseline (choose default, letter or tokenrec).");
        }

        return Result(settings, outcomes, popularity, coOccurrence, sasRecRow, testUsers, total.Elapsed);
    }

    /// <summary>
    /// Every option, checked before anything loads: a bad row name or number is a usage error (exit 2), a missing
    /// ml-latest-small folder or file a failed run (exit 1) naming what is missing.
    /// </summary>
    internal static Settings ReadSettings(BenchmarkContext context)
    {
        IReadOnlyList<PresetRow> rows = PresetRow.Parse(context.Option("rows"));
        double minutes = context.Minutes ?? DefaultMinutesPerRow;
        PresetTrainingLength length = PresetTrainingLength.ForMinutes(
            minutes, context.IntOption("tokenizer-epochs", PresetTrainingLength.DefaultTokenizerEpochs), context.DoubleOption("samples-per-second", PresetTrainingLength.DefaultSamplesPerSecond));
        int excludeHistory = context.IntOption("exclude-history", 0);
        if (excludeHistory is not (0 or 1))
        {
            throw new UsageException($"--exclude-history must be 0 or 1; got {excludeHistory}.");
        }

        double sasRecMinutes = context.DoubleOption("sasrec-minutes", DefaultSasRecMinutes);
        if (!(sasRecMinutes > 0))
        {
            throw new UsageException($"--sasrec-minutes must be positive; got {sasRecMinutes}.");
        }

        var encoder = new BuiltInSentenceEncoderOptions { BatchSize = context.IntOption("text-batch", 32), Threads = context.IntOption("text-threads", 0) };
        context.DataFolder("ml-latest-small");
        context.DataFile("ml-latest-small", "ratings.csv");
        context.DataFile("ml-latest-small", "movies.csv");
        var protocol = new PresetProtocol(Ks, excludeHistory == 1, () => BeautySasRecEmbeddings.Options(context, sasRecMinutes), encoder);
        protocol.SasRec().Validate(); // reads --sasrec-epochs and --sasrec-validation-users now, not after minutes of training
        return new Settings(rows, minutes, sasRecMinutes, length, protocol);
    }

    /// <summary>Every row and baseline must have scored the same users; a difference would mean different test sets.</summary>
    private static int CheckSameUsers(IReadOnlyList<PresetRowOutcome> outcomes, MetricsTable popularity)
    {
        foreach (PresetRowOutcome outcome in outcomes)
        {
            if (outcome.Test.UserCount != popularity.CaseCount || (outcome.SasRecTest is { } sasRec && sasRec.UserCount != popularity.CaseCount))
            {
                throw new InvalidOperationException($"Row {outcome.Row} scored {outcome.Test.UserCount} test users but the baselines {popularity.CaseCount}: the test sets differ.");
            }
        }

        return popularity.CaseCount;
    }

    private static Table Summary(IReadOnlyList<PresetRowOutcome> outcomes, MetricsTable popularity, MetricsTable coOccurrence, PresetRowOutcome? sasRecRow)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (PresetRowOutcome o in outcomes)
        {
            rows.Add([o.Row.Key, F4(o.Test.Recall(10)), F4(o.Test.Ndcg(10)), F4(o.ValidRecall10),
                o.FitTime.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture), o.Recommender.EpochsCompleted.ToString(CultureInfo.InvariantCulture), F4(o.Codes.CollisionRate)]);
        }

        rows.Add(["popularity", F4(popularity[MetricNames.Recall, 10]), F4(popularity[MetricNames.Ndcg, 10]), "", "", "", ""]);
        rows.Add(["co-occurrence", F4(coOccurrence[MetricNames.Recall, 10]), F4(coOccurrence[MetricNames.Ndcg, 10]), "", "", "", ""]);
        if (sasRecRow?.SasRecTest is { } sasRec)
        {
            rows.Add([$"SASRec (stage of {sasRecRow.Row})", F4(sasRec.Recall(10)), F4(sasRec.Ndcg(10)), "", "", "", ""]);
        }

        return BenchmarkTables.Cells(["row", "test Recall@10", "test NDCG@10", "valid Recall@10", "fit s", "epochs", "collision rate"], rows);
    }

    private static BenchmarkResult Result(Settings settings, IReadOnlyList<PresetRowOutcome> outcomes, MetricsTable popularity, MetricsTable coOccurrence, PresetRowOutcome? sasRecRow, int testUsers, TimeSpan elapsed)
    {
        var result = new BenchmarkResult();
        foreach (PresetRowOutcome o in outcomes)
        {
            result.Metric($"{o.Row.Key}_recall_10", o.Test.Recall(10)).Metric($"{o.Row.Key}_ndcg_10", o.Test.Ndcg(10));
        }

        result.Metric("popularity_recall_10", popularity[MetricNames.Recall, 10]).Metric("popularity_ndcg_10", popularity[MetricNames.Ndcg, 10])
            .Metric("cooccurrence_recall_10", coOccurrence[MetricNames.Recall, 10]).Metric("cooccurrence_ndcg_10", coOccurrence[MetricNames.Ndcg, 10]);
        if (sasRecRow?.SasRecTest is { } sasRec)
        {
            result.Metric("sasrec_recall_10", sasRec.Recall(10)).Metric("sasrec_ndcg_10", sasRec.Ndcg(10));
        }

        foreach (PresetRowOutcome o in outcomes)
        {
            result.Metric($"{o.Row.Key}_valid_recall_10", o.ValidRecall10)
                .Seconds($"{o.Row.Key}_train_seconds", o.FitTime)
                .Count($"{o.Row.Key}_epochs", o.Recommender.EpochsCompleted)
                .Count($"{o.Row.Key}_steps", o.Recommender.Steps)
                .Add($"{o.Row.Key}_examples_per_second", o.Recommender.ExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
        }

        return result
            .Count("test_users", testUsers)
            .Count("exclude_history", settings.Protocol.ExcludeHistory ? 1 : 0)
            .Add("minutes", settings.Minutes.ToString("0.###", CultureInfo.InvariantCulture))
            .Seconds("seconds", elapsed)
            .Add("via", "mlnet");
    }

    private static string F4(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The checked options of one run.</summary>
    internal sealed record Settings(IReadOnlyList<PresetRow> Rows, double Minutes, double SasRecMinutes, PresetTrainingLength Length, PresetProtocol Protocol);
}
