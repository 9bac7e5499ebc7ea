using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>tokenizer-rqkmeans-beauty</c>: residual k-means codes ("RQ-KMeans", 3 × 256 plus TIGER's numbering level) on the
/// cached all-MiniLM-L6-v2 vectors of Beauty's item texts (<c>benchmarks/out/beauty-minilm-vectors.bin</c>, written by
/// <c>pipeline-text-beauty</c>; <c>--text-cache</c> names another file), compared statistic by statistic with the codes
/// the LETTER authors released. A tokenizer-only measurement (well under a minute): no SASRec, so no CF fusion here.
/// </summary>
/// <remarks>
/// Besides the code statistics it prints a collaborative proxy that needs no trained model: the share of items whose most
/// frequent successor in the training sequences (each user's items but the last two) has the same first code, beside
/// Σp² of the first-level codes (the rate for two random items).
/// </remarks>
internal sealed class TokenizerRqKMeansBeautyBenchmark : IBenchmark
{
    public string Name => "tokenizer-rqkmeans-beauty";

    public string Description => "residual k-means (RQ-KMeans) codes on cached MiniLM vectors of Beauty's item texts vs LETTER's released codes; --rqkmeans-levels --rqkmeans-codebook --kmeans-iterations --normalization";

    public IReadOnlyCollection<string> ExtraOptions => [.. OptionNames, "kmeans-iterations", "text-cache"];

    /// <summary>The residual k-means knobs shared with <c>pipeline-text-beauty</c> (<c>--codes rqkmeans</c>), read by <see cref="Options"/>.</summary>
    internal static IReadOnlyCollection<string> OptionNames { get; } = ["rqkmeans-levels", "rqkmeans-codebook", "normalization", "cf-weight"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        var beauty = BenchmarkDatasets.LoadBeauty(context);
        string[] texts = BeautyItemTexts.Load(context, beauty.ItemCount);
        string cache = context.Option("text-cache") is { } path ? Path.GetFullPath(path) : Path.Combine(BeautySasRecEmbeddings.OutputFolder(), "beauty-minilm-vectors.bin");
        float[][] vectors = BeautyItemTexts.TryReadCache(cache, texts)
            ?? throw new InvalidOperationException($"No MiniLM vectors of these item texts in {cache}: run pipeline-text-beauty once (it writes them), or pass --text-cache.");
        var (letter, _) = context.Time("import beauty/Beauty.letter-index.json", () =>
            SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json"), new SemanticIdImportOptions { ItemCount = beauty.ItemCount }));

        ResidualKMeansOptions options = Options(context);
        float[] content = vectors.SelectMany(v => v).ToArray();
        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.StartsWith("ResidualKMeans", StringComparison.Ordinal))
            {
                context.Log("  " + e.Message);
            }
        };
        using ResidualKMeansModel model = ResidualKMeansTrainer.Train(ml, content, beauty.ItemCount, vectors[0].Length, null, 0, options);
        CodeStatistics ours = CodeStatistics.Compute(model.Codes);
        CodeStatistics theirs = CodeStatistics.Compute(letter);
        context.Log($"residual k-means {options.Levels} x {options.CodebookSize} on {beauty.ItemCount:N0} MiniLM vectors in {model.FitTime.TotalSeconds:F1} s, "
            + string.Create(CultureInfo.InvariantCulture, $"mean squared residual per level {string.Join(", ", model.ResidualErrors.Select(e => e.ToString("G4", CultureInfo.InvariantCulture)))}"));
        context.Log("ours, " + ours.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
        context.Log("LETTER's released codes, " + theirs.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));

        int[] successors = MostFrequentSuccessors(beauty.SequencesByUser(), beauty.ItemCount);
        double oursShare = SameFirstCode(successors, model.Codes), letterShare = SameFirstCode(successors, letter);
        double oursChance = ChanceSameFirstCode(model.Codes), letterChance = ChanceSameFirstCode(letter);
        context.Log($"items whose most frequent training successor shares the first code: ours {oursShare:P2}, LETTER {letterShare:P2} "
            + $"(over {successors.Count(s => s >= 0):N0} items with a successor; two random items share it with probability ours {oursChance:P2}, LETTER {letterChance:P2})");

        var result = new BenchmarkResult()
            .Add("codes", "rqkmeans")
            .Add("normalization", options.Normalization.ToString().ToLowerInvariant())
            .Count("levels", options.Levels)
            .Count("codebook", options.CodebookSize)
            .Seconds("tokenizer_seconds", model.FitTime)
            .Add("collision_rate_before", model.Collisions.CollisionRateBefore.ToString("F6", CultureInfo.InvariantCulture))
            .Count("extra_level_size", model.Codes.Levels > options.Levels ? model.Codes.CodebookSizes[^1] : 0)
            .Metric("ours_successor_same_l1", oursShare)
            .Metric("letter_successor_same_l1", letterShare)
            .Add("ours_chance_same_l1", oursChance.ToString("F4", CultureInfo.InvariantCulture))
            .Add("letter_chance_same_l1", letterChance.ToString("F4", CultureInfo.InvariantCulture));
        TokenizerBeautyBenchmark.AddSideBySide(result, ours, "ours", theirs, "letter");
        return result.Seconds("seconds", total.Elapsed);
    }

    /// <summary>Residual k-means options from the command line: 3 × 256 (TIGER's and GRID's sizes), TIGER's extra level for collisions.</summary>
    internal static ResidualKMeansOptions Options(BenchmarkContext context)
    {
        string normalization = context.Option("normalization") ?? "none";
        return new ResidualKMeansOptions
        {
            Levels = context.IntOption("rqkmeans-levels", 3),
            CodebookSize = context.IntOption("rqkmeans-codebook", 256),
            KMeansIterations = context.IntOption("kmeans-iterations", 50),
            Normalization = normalization.ToLowerInvariant() switch
            {
                "none" => InputNormalization.None,
                "l2" => InputNormalization.L2,
                "standardize" => InputNormalization.Standardize,
                _ => throw new ArgumentException($"--normalization must be none, l2 or standardize, not '{normalization}'."),
            },
            CollaborativeWeight = context.DoubleOption("cf-weight", 0.5),
            CollisionHandling = CollisionHandling.ExtraLevel,
            Seed = context.Seed,
        };
    }

    /// <summary>For every item, the item that most often follows it in the training part of the sequences (−1 when none; ties: the smaller index).</summary>
    private static int[] MostFrequentSuccessors(int[][] sequences, int itemCount)
    {
        var counts = new Dictionary<(int, int), int>();
        foreach (int[] sequence in sequences)
        {
            for (int i = 0; i + 1 < sequence.Length - 2; i++)
            {
                var pair = (sequence[i], sequence[i + 1]);
                counts[pair] = counts.GetValueOrDefault(pair) + 1;
            }
        }

        var best = Enumerable.Repeat(-1, itemCount).ToArray();
        var bestCount = new int[itemCount];
        foreach (((int from, int to), int count) in counts)
        {
            if (from != to && (count > bestCount[from] || (count == bestCount[from] && to < best[from])))
            {
                best[from] = to;
                bestCount[from] = count;
            }
        }

        return best;
    }

    /// <summary>Σp² over the first-level codes: how often two random items share their first code.</summary>
    private static double ChanceSameFirstCode(SemanticIdTable codes) =>
        Enumerable.Range(0, codes.ItemCount).GroupBy(i => codes[i][0]).Sum(g => Math.Pow(g.Count() / (double)codes.ItemCount, 2));

    private static double SameFirstCode(int[] successors, SemanticIdTable codes)
    {
        int items = 0, same = 0;
        for (int item = 0; item < successors.Length; item++)
        {
            if (successors[item] >= 0)
            {
                items++;
                same += codes[item][0] == codes[successors[item]][0] ? 1 : 0;
            }
        }

        return items == 0 ? double.NaN : same / (double)items;
    }
}
