using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Data;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Tokenization.Text;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>tokenizer-movielens</c>: the whole text-to-semantic-ID path without any model file. MovieLens latest-small,
/// 5-core (3,650 items), item text "Title | Genre1, Genre2 | tags" → <see cref="ContentVectorizers.TextToDenseVector"/>
/// (TF-IDF n-grams + PCA, <c>--text-dimension</c>, default 64) → RQ-VAE (<c>--levels</c> × <c>--codebook</c>,
/// default 3 × 64; LETTER's other defaults, no collaborative signal) with Sinkhorn collision handling.
/// </summary>
/// <remarks>
/// The question is whether the first code means something: if the text vectors carry content, two movies that share
/// a genre should share their first code more often than two movies picked at random. Both rates are computed
/// exactly over all item pairs (not sampled): <c>same_genre_same_l1</c> over the pairs with at least one genre in
/// common (genres read from <c>movies.csv</c>), <c>random_same_l1</c> over all pairs, and their ratio. A ratio of 1
/// means the first level ignores genre. <c>exact_genres_same_l1</c> is the rate for pairs with identical genre lists.
/// </remarks>
internal sealed class TokenizerMovieLensBenchmark : IBenchmark
{
    public string Name => "tokenizer-movielens";

    public string Description => "ml-latest-small 5-core text -> TextToDenseVector -> RQ-VAE 3x64: same-genre vs random first-code sharing + code statistics";

    public IReadOnlyCollection<string> ExtraOptions => ["text-dimension", "levels", "codebook", "rqvae-epochs", "diversity-weight", "dead-code-steps"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        var (movies, _) = context.Time("load ml-latest-small, 5-core", () => BenchmarkDatasets.LoadMovieLensFiveCore(context));
        string[] texts = [.. Enumerable.Range(0, movies.ItemCount).Select(i => movies.ItemText?[i] ?? string.Empty)];
        int[] genres = GenreMasks(context.DataFile("ml-latest-small", "movies.csv"), movies.ItemIds);
        context.Log($"{movies}; example item text: \"{texts[0]}\"");

        int textDimension = context.IntOption("text-dimension", 64);
        var ml = new MLContext(context.Seed);
        var ((vectors, dimension), textTime) = context.Time($"TextToDenseVector (FeaturizeText + PCA to {textDimension})", () => Vectorize(ml, texts, textDimension));

        var options = new RqVaeOptions
        {
            Levels = context.IntOption("levels", 3),
            CodebookSize = context.IntOption("codebook", 64),
            NumberOfEpochs = context.IntOption("rqvae-epochs", 200),
            CollaborativeWeight = 0, // no CF signal in this benchmark (the default weight would be skipped with a warning)
            DiversityWeight = context.DoubleOption("diversity-weight", 0),
            DeadCodeResetSteps = context.IntOption("dead-code-steps", 0),
            CollisionHandling = CollisionHandling.SinkhornReassign,
            LogEveryNSteps = 1000,
            Seed = context.Seed,
        };
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && !e.Message.Contains("Epoch ", StringComparison.Ordinal)) context.Log("  " + e.Message); };
        context.Log($"training RQ-VAE {options.Levels}x{options.CodebookSize}, code dim {options.CodeDimension}, diversity {options.DiversityWeight}, {options.NumberOfEpochs} epochs");
        var watch = Stopwatch.StartNew();
        using RqVaeModel model = RqVaeTrainer.Train(ml, vectors, movies.ItemCount, dimension, null, 0, options, out TrainingResult trained);
        watch.Stop();
        context.Log($"RQ-VAE: {trained.EpochsCompleted} epochs in {watch.Elapsed.TotalSeconds:F1} s, reconstruction MSE {model.ReconstructionLoss:G4}");

        var comparison = CodeStatisticsComparison.Compute(model.CodesBeforeResolution, model.Codes);
        context.Log(comparison.ToString().TrimEnd().Replace("\n", "\n  ", StringComparison.Ordinal));
        PairRates rates = FirstCodeSharing(model.Codes, genres);
        context.Log($"{rates.GenrePairs:N0} of {rates.AllPairs:N0} item pairs share a genre; same first code: {rates.SameGenre:P2} of them vs {rates.Random:P2} of all pairs (x{rates.SameGenre / rates.Random:F2}); identical genre lists: {rates.ExactGenres:P2}");

        var result = new BenchmarkResult()
            .Metric("same_genre_same_l1", rates.SameGenre)
            .Metric("random_same_l1", rates.Random)
            .Add("same_genre_ratio", (rates.SameGenre / rates.Random).ToString("F2", CultureInfo.InvariantCulture))
            .Metric("exact_genres_same_l1", rates.ExactGenres)
            .Count("genre_pairs", rates.GenrePairs)
            .Count("all_pairs", rates.AllPairs)
            .Add("collision_rate_before", model.Collisions.CollisionRateBefore.ToString("F6", CultureInfo.InvariantCulture))
            .Count("items_reassigned", model.Collisions.ItemsReassigned)
            .Add("reconstruction_mse", model.ReconstructionLoss.ToString("G4", CultureInfo.InvariantCulture));
        foreach (var (key, value) in comparison.After.ToKeyValues())
        {
            result.Add(key, value);
        }

        return result
            .Seconds("text_seconds", textTime)
            .Seconds("tokenizer_seconds", watch.Elapsed)
            .Seconds("seconds", total.Elapsed);
    }

    /// <summary>Fits the offline text vectorizer on the item texts and returns the vectors row-major.</summary>
    private static (float[] Vectors, int Dimension) Vectorize(MLContext ml, string[] texts, int dimension)
    {
        IDataView data = ml.Data.LoadFromEnumerable(texts.Select(t => new ItemText { Text = t }));
        var estimator = ContentVectorizers.TextToDenseVector(ml, "Vector", nameof(ItemText.Text), new TextVectorOptions { Dimension = dimension });
        IDataView transformed = estimator.Fit(data).Transform(data);
        float[][] rows = [.. transformed.GetColumn<float[]>("Vector")];
        var vectors = new float[rows.Length * dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(vectors, i * dimension);
        }

        return (vectors, dimension);
    }

    /// <summary>
    /// Each item's genres as a bit mask, read from <c>movies.csv</c> (movieId,title,genres). Only the first and last
    /// field are needed, and neither can contain a comma (titles can, and are quoted), so no CSV parser is required.
    /// </summary>
    private static int[] GenreMasks(string moviesCsv, IReadOnlyList<string> itemIds)
    {
        var bits = new Dictionary<string, int>(StringComparer.Ordinal);
        var maskOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(moviesCsv).Skip(1))
        {
            int first = line.IndexOf(',', StringComparison.Ordinal);
            int last = line.LastIndexOf(',');
            if (first < 0 || last <= first)
            {
                continue;
            }

            int mask = 0;
            foreach (string genre in line[(last + 1)..].Trim().Split('|'))
            {
                if (genre.Length == 0 || genre == "(no genres listed)")
                {
                    continue;
                }

                if (!bits.TryGetValue(genre, out int bit))
                {
                    bit = bits.Count;
                    bits[genre] = bit < 31 ? bit : throw new InvalidDataException($"{moviesCsv} has more than 31 genres.");
                }

                mask |= 1 << bit;
            }

            maskOf[line[..first]] = mask;
        }

        return [.. itemIds.Select(id => maskOf.TryGetValue(id, out int mask) ? mask : 0)];
    }

    /// <summary>First-code agreement over every unordered pair of items, overall and for pairs that share genres.</summary>
    private static PairRates FirstCodeSharing(SemanticIdTable codes, int[] genres)
    {
        int n = codes.ItemCount;
        int[] first = [.. Enumerable.Range(0, n).Select(i => codes[i][0])];
        long all = 0, allSame = 0, genrePairs = 0, genreSame = 0, exactPairs = 0, exactSame = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                bool same = first[i] == first[j];
                all++;
                allSame += same ? 1 : 0;
                if ((genres[i] & genres[j]) != 0)
                {
                    genrePairs++;
                    genreSame += same ? 1 : 0;
                }

                if (genres[i] != 0 && genres[i] == genres[j])
                {
                    exactPairs++;
                    exactSame += same ? 1 : 0;
                }
            }
        }

        return new PairRates(all, genrePairs, (double)genreSame / genrePairs, (double)allSame / all, (double)exactSame / exactPairs);
    }

    private sealed record PairRates(long AllPairs, long GenrePairs, double SameGenre, double Random, double ExactGenres);

    private sealed class ItemText
    {
        public string Text { get; set; } = string.Empty;
    }
}
