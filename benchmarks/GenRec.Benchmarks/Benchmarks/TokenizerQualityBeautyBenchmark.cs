using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Tokenization;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>tokenizer-quality-beauty</c> (issue 10): which codes make the better recommender. One generative recipe
/// (<c>pipeline-beauty</c>'s: decoder-only, item-embedding input, <see cref="PipelineBeautyBenchmark.GenerativeOptions"/>),
/// one seed, one split and the same training budget (<c>--minutes</c> per code set, default 8) on each code set
/// (<see cref="TokenizerQualityCodeSet"/>): (a) LETTER's released codes, (b) RQ-VAE on the MiniLM text vectors,
/// (c) + LETTER's collaborative regularizer against SASRec item embeddings, (d) + its diversity regularizer (LETTER's
/// recipe), (e) RQ-VAE on the SASRec embeddings alone, (f) residual k-means on text with SASRec fused in. Every set is
/// trained, saved, loaded and scored through <see cref="CodesTableViaMlNet"/>, and its code statistics are printed
/// beside its figures.
/// </summary>
/// <remarks>
/// <para>Honesty: the test figures are the held-out last item of each user (<see cref="ViaMlNet.LeaveLastOut"/>),
/// which no input saw: the SASRec embeddings train on each user's items but the last two
/// (<see cref="BeautySasRecEmbeddings"/>), the text vectors come from item text only, and the generative Fit sees all
/// but the last item (its early stopping holds out the one before). A chosen set that cannot be built — a missing
/// file, a stale cache — fails the run with an error naming the set; nothing is skipped.</para>
/// <para>Inputs: the MiniLM vectors are read from the cache <c>pipeline-text-beauty</c> writes
/// (<c>benchmarks/out/beauty-minilm-vectors.bin</c>, or <c>--text-cache</c>); the SASRec embeddings are trained once
/// or read from their cache (<c>--sasrec-minutes</c>, default 10). RQ-VAE: <c>--rqvae-epochs</c> (200) capped at
/// <c>--tokenizer-minutes</c> (10) each. <c>--test-users N</c> scores only the first N test users (all by default;
/// for smoke runs).</para>
/// </remarks>
internal sealed class TokenizerQualityBeautyBenchmark : IBenchmark
{
    private const double DefaultMinutes = 8;

    public string Name => "tokenizer-quality-beauty";

    public string Description => "one generative recipe, equal --minutes (default 8) per code set on Beauty: (a) LETTER's codes, (b) text RQ-VAE, (c) +CF, (d) +CF+diversity, (e) CF-only, (f) RQ-KMeans text+CF; --sets a,b,...";

    public IReadOnlyCollection<string> ExtraOptions =>
        [.. TokenizerBeautyBenchmark.TokenizerOptionNames, .. TokenizerRqKMeansBeautyBenchmark.OptionNames, .. BeautySasRecEmbeddings.OptionNames,
         "sets", "tokenizer-minutes", "text-cache", "validation-users", "patience", "test-users"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        IReadOnlyList<TokenizerQualityCodeSet> sets = TokenizerQualityCodeSet.Parse(context.Option("sets"));
        double minutes = context.Minutes ?? DefaultMinutes;
        int testUserLimit = context.IntOption("test-users", int.MaxValue);
        if (testUserLimit <= 0)
        {
            throw new UsageException($"--test-users must be positive; got {testUserLimit}.");
        }

        context.Log($"code sets: {string.Join(", ", sets)}; {minutes.ToString(CultureInfo.InvariantCulture)} generative minutes each");
        string? letterPath = LetterCodesPath(context, sets);
        string? textCache = TextCachePath(context, sets);

        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        TokenizerQualityInputs inputs = LoadInputs(context, beauty, sets, letterPath, textCache);
        var (trainRows, allTestRows) = ViaMlNet.LeaveLastOut(beauty);
        List<ViaMlNet.InteractionRow> testRows = [.. allTestRows.Take(testUserLimit)];
        var itemIndex = new Dictionary<string, int>(beauty.ItemIds.Count, StringComparer.Ordinal);
        for (int i = 0; i < beauty.ItemIds.Count; i++)
        {
            itemIndex[beauty.ItemIds[i]] = i;
        }

        var outcomes = new List<Outcome>();
        foreach (TokenizerQualityCodeSet set in sets)
        {
            context.Log($"=== code set {set}: {set.Description}");
            TokenizerQualityCodeBuilder.BuiltCodes built = TokenizerQualityCodeBuilder.Build(context, set, inputs);
            if (built.Codes.ItemCount != beauty.ItemCount)
            {
                throw new InvalidOperationException($"Code set {set} has codes for {built.Codes.ItemCount} items but Beauty has {beauty.ItemCount}.");
            }

            var statistics = CodeStatistics.Compute(built.Codes);
            context.LogCodes(statistics);
            var options = PipelineBeautyBenchmark.GenerativeOptions(context);
            options.MaxTrainingTime = TimeSpan.FromMinutes(minutes);
            CodesTableRun run = CodesTableViaMlNet.FitAndScore(context, trainRows, testRows, itemIndex, built.Codes, options, $"{Name}-{set.Key}");
            outcomes.Add(new Outcome(set, built, statistics, run));
        }

        context.Log($"summary ({testRows.Count:N0} test users, {minutes.ToString(CultureInfo.InvariantCulture)} generative minutes per code set):");
        context.LogTable(SummaryTable(outcomes));
        return Result(outcomes, inputs, minutes, testRows.Count, total.Elapsed);
    }

    /// <summary>Checks before any loading that set (a)'s file is there, so a missing file costs no minutes of training.</summary>
    private static string? LetterCodesPath(BenchmarkContext context, IReadOnlyList<TokenizerQualityCodeSet> sets)
    {
        if (!sets.Contains(TokenizerQualityCodeSet.LetterReleased))
        {
            return null;
        }

        try
        {
            return context.DataFile("beauty", "Beauty.letter-index.json");
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Code set {TokenizerQualityCodeSet.LetterReleased} cannot be built: {e.Message}", e.FileName, e);
        }
    }

    /// <summary>The MiniLM cache the text-based sets read, checked to exist before any loading.</summary>
    private static string? TextCachePath(BenchmarkContext context, IReadOnlyList<TokenizerQualityCodeSet> sets)
    {
        TokenizerQualityCodeSet[] needing = [.. sets.Where(s => s.NeedsText)];
        if (needing.Length == 0)
        {
            return null;
        }

        string path = context.Option("text-cache") is { } option ? Path.GetFullPath(option) : Path.Combine(BeautySasRecEmbeddings.OutputFolder(), "beauty-minilm-vectors.bin");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Code sets {string.Join(", ", needing)} cannot be built: no MiniLM vectors at {path} (run pipeline-text-beauty once, it writes them, or pass --text-cache).", path);
    }

    /// <summary>Loads only what the chosen sets need: the text vectors (checked against Beauty's texts) and the SASRec embeddings.</summary>
    private static TokenizerQualityInputs LoadInputs(BenchmarkContext context, InteractionDataset beauty, IReadOnlyList<TokenizerQualityCodeSet> sets, string? letterPath, string? textCache)
    {
        float[]? text = null;
        int textDimension = 0;
        if (textCache != null)
        {
            string[] texts = BeautyItemTexts.Load(context, beauty.ItemCount);
            float[][] vectors = BeautyItemTexts.TryReadCache(textCache, texts)
                ?? throw new InvalidDataException($"Code sets {string.Join(", ", sets.Where(s => s.NeedsText))} cannot be built: {textCache} holds no MiniLM vectors of Beauty's current item texts (rerun pipeline-text-beauty to rewrite it).");
            textDimension = vectors[0].Length;
            text = [.. vectors.SelectMany(v => v)];
            context.Log($"MiniLM vectors of {vectors.Length:N0} item texts ({textDimension}-d) from {textCache}");
        }

        BeautySasRecEmbeddings? sasRec = sets.Any(s => s.NeedsSasRec) ? BeautySasRecEmbeddings.Load(context) : null;
        if (sasRec != null && sasRec.ItemCount != beauty.ItemCount)
        {
            throw new InvalidDataException($"Code sets {string.Join(", ", sets.Where(s => s.NeedsSasRec))} cannot be built: the SASRec embeddings cover {sasRec.ItemCount} items but Beauty has {beauty.ItemCount}.");
        }

        return new TokenizerQualityInputs(beauty.ItemCount, letterPath, text, textDimension, sasRec);
    }

    /// <summary>One row per code set: its test and validation figures beside its code statistics.</summary>
    private static Spectre.Console.Table SummaryTable(IReadOnlyList<Outcome> outcomes) => BenchmarkTables.Cells(
        ["code set", "levels", "recall@10", "ndcg@10", "valid recall@10", "epochs", "tokenizer s", "entropy bits per level", "used per level", "prefixes L1", "prefixes L2", "collision rate"],
        outcomes.Select(o => (IReadOnlyList<string>)
        [
            o.Set.ToString(),
            Number(o.Statistics.Levels),
            F4(o.Run.Metrics.Recall(10)),
            F4(o.Run.Metrics.Ndcg(10)),
            F4(o.Run.Training.BestValidationMetric ?? double.NaN),
            Number(o.Run.Training.EpochsCompleted),
            o.Built.TokenizerTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            string.Join(" / ", o.Statistics.PerLevel.Select(l => Bits(l.EntropyBits, "F2"))),
            string.Join(" / ", o.Statistics.PerLevel.Select(l => Number(l.UsedCodes))),
            Number(o.Statistics.PerLevel[0].DistinctPrefixes),
            Number(o.Statistics.PerLevel[1].DistinctPrefixes),
            o.Statistics.CollisionRate.ToString("F4", CultureInfo.InvariantCulture),
        ]));

    /// <summary>
    /// The RESULT keys: first every set's <c>{set}_recall_10</c>, then every set's <c>{set}_ndcg_10</c> (the comparison
    /// at a glance), then each set's details, then the run's budget and totals (see docs/benchmarks.md for the list).
    /// </summary>
    private static BenchmarkResult Result(IReadOnlyList<Outcome> outcomes, TokenizerQualityInputs inputs, double minutes, int testUsers, TimeSpan elapsed)
    {
        var result = new BenchmarkResult();
        foreach (Outcome o in outcomes)
        {
            result.Metric($"{o.Set.Key}_recall_10", o.Run.Metrics.Recall(10));
        }

        foreach (Outcome o in outcomes)
        {
            result.Metric($"{o.Set.Key}_ndcg_10", o.Run.Metrics.Ndcg(10));
        }

        foreach (Outcome o in outcomes)
        {
            string k = o.Set.Key;
            result
                .Metric($"{k}_valid_recall_10", o.Run.Training.BestValidationMetric ?? double.NaN)
                .Count($"{k}_epochs", o.Run.Training.EpochsCompleted)
                .Seconds($"{k}_train_seconds", o.Run.Training.TrainingTime)
                .Seconds($"{k}_tokenizer_seconds", o.Built.TokenizerTime)
                .Add($"{k}_tokenizer_epochs", o.Built.TokenizerEpochs?.ToString(CultureInfo.InvariantCulture) ?? "n/a")
                .Count($"{k}_levels", o.Statistics.Levels);
            foreach (LevelCodeStatistics level in o.Statistics.PerLevel)
            {
                result
                    .Add($"{k}_l{level.Level + 1}_entropy", Bits(level.EntropyBits))
                    .Count($"{k}_l{level.Level + 1}_used", level.UsedCodes);
            }

            result
                .Count($"{k}_prefixes_1", o.Statistics.PerLevel[0].DistinctPrefixes)
                .Count($"{k}_prefixes_2", o.Statistics.PerLevel[1].DistinctPrefixes)
                .Add($"{k}_collision_rate", o.Statistics.CollisionRate.ToString("F6", CultureInfo.InvariantCulture))
                .Seconds($"{k}_eval_seconds", o.Run.Eval);
        }

        inputs.SasRec?.Describe(result);
        return result
            .Add("minutes", minutes.ToString("F2", CultureInfo.InvariantCulture))
            .Count("test_users", testUsers)
            .Seconds("seconds", elapsed)
            .Add("via", "mlnet");
    }

    /// <summary>Entropy in bits to 4 decimals; a one-code level's entropy comes out as a rounding error below zero, printed as 0.</summary>
    private static string Bits(double value, string format = "F4") => Math.Max(0, value).ToString(format, CultureInfo.InvariantCulture);

    private static string F4(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One code set's codes, their statistics and the recommender trained on them.</summary>
    private sealed record Outcome(TokenizerQualityCodeSet Set, TokenizerQualityCodeBuilder.BuiltCodes Built, CodeStatistics Statistics, CodesTableRun Run);
}
