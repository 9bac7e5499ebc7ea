using System.Globalization;
using System.Text;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using static TorchSharp.torch;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// SASRec item embeddings of Amazon Beauty, shared by the tokenizer benchmarks (<c>tokenizer-beauty</c>,
/// <c>tokenizer-ablation-beauty</c>): LETTER feeds its RQ-VAE SASRec embeddings, both as content and as the
/// collaborative signal, so every tokenizer benchmark on Beauty needs one SASRec training. That training is the
/// expensive part (minutes on 2 cores), so it is done once per set of options and cached on disk.
/// </summary>
/// <remarks>
/// <para>Training is the <c>sasrec-beauty</c> recipe (cross-entropy over all items, d = 64, 2 blocks, 1 head, dropout
/// 0.5, max length 50, batch 128, lr 1e-3, early stopping on validation Recall@10) with a much shorter budget,
/// <c>--sasrec-minutes</c> (default 10 instead of 40): the tokenizer needs item embeddings that place co-purchased
/// items near each other, not the best possible ranking, and the shorter budget keeps the tokenizer benchmarks at
/// a few minutes of CPU each. Validation uses the first <c>--sasrec-validation-users</c> users (default 5,000) so that
/// validation passes do not eat the short budget.</para>
/// <para>Cache: <c>benchmarks/out/sasrec-beauty-embeddings.bin</c> (git-ignored) or <c>--sasrec-cache &lt;file&gt;</c>;
/// <c>--sasrec-cache none</c> always retrains. The file starts with a key listing every option, the seed and the
/// dataset's size; a file with another key is retrained and overwritten. A time-budgeted training stops after however
/// many epochs fit, which depends on machine load, so the cache also fixes the embeddings: two benchmarks that share
/// the file see exactly the same vectors. Delete the file to retrain.</para>
/// </remarks>
internal sealed class BeautySasRecEmbeddings
{
    private const string Magic = "GenRec.SasRecBeautyEmbeddings.v1";
    private const string DefaultCache = "sasrec-beauty-embeddings.bin";

    private BeautySasRecEmbeddings(float[] vectors, int itemCount, int dimension, int epochs, double validRecall10, double trainSeconds, bool fromCache)
    {
        Vectors = vectors;
        ItemCount = itemCount;
        Dimension = dimension;
        Epochs = epochs;
        ValidRecall10 = validRecall10;
        TrainSeconds = trainSeconds;
        FromCache = fromCache;
    }

    /// <summary>The options a benchmark using these embeddings must declare in its <see cref="IBenchmark.ExtraOptions"/>.</summary>
    public static IReadOnlyCollection<string> OptionNames { get; } = ["sasrec-minutes", "sasrec-epochs", "sasrec-validation-users", "sasrec-cache"];

    /// <summary>Item embeddings, row-major [<see cref="ItemCount"/> × <see cref="Dimension"/>]; row i is Beauty item i (the index LETTER's codes use).</summary>
    public float[] Vectors { get; }

    /// <summary>Number of items (12,101 for Beauty).</summary>
    public int ItemCount { get; }

    /// <summary>Embedding length.</summary>
    public int Dimension { get; }

    /// <summary>Epochs the SASRec training ran.</summary>
    public int Epochs { get; }

    /// <summary>Best validation Recall@10 of the training (on the validation user subset).</summary>
    public double ValidRecall10 { get; }

    /// <summary>Seconds the SASRec training took when it ran (also when the vectors now come from the cache).</summary>
    public double TrainSeconds { get; }

    /// <summary>Whether the vectors were read from the cache file instead of trained in this run.</summary>
    public bool FromCache { get; }

    /// <summary>The SASRec recipe for Beauty (see the class remarks), with a <paramref name="minutes"/> training budget.</summary>
    public static CollaborativeEmbeddingOptions Options(BenchmarkContext context, double minutes) => new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.SasRec,
            Loss = CollaborativeLoss.CrossEntropy,
            Dimension = 64,
            Layers = 2,
            Heads = 1,
            Dropout = 0.5,
            MaxHistoryLength = 50,
            BatchSize = 128,
            LearningRate = 1e-3,
            NumberOfEpochs = context.IntOption("sasrec-epochs", 200),
            ValidateEveryNEpochs = 1,
            EarlyStoppingPatience = 4,
            MaxValidationUsers = context.IntOption("sasrec-validation-users", 5000),
            MaxTrainingTime = TimeSpan.FromMinutes(minutes),
            ExcludeHistoryFromRecommendations = false,
            LogEveryNSteps = 200,
            Seed = context.Seed,
        };

    /// <summary>Trains SASRec on Beauty, or reads the vectors of an earlier identical training from the cache.</summary>
    public static BeautySasRecEmbeddings Load(BenchmarkContext context)
    {
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        double minutes = context.DoubleOption("sasrec-minutes", 10);
        CollaborativeEmbeddingOptions options = Options(context, minutes);

        string key = string.Create(CultureInfo.InvariantCulture,
            $"sasrec ce d={options.Dimension} blocks={options.Layers} heads={options.Heads} dropout={options.Dropout} maxlen={options.MaxHistoryLength} batch={options.BatchSize} lr={options.LearningRate} epochs={options.NumberOfEpochs} minutes={minutes} validation_users={options.MaxValidationUsers} seed={context.Seed} users={beauty.UserCount} items={beauty.ItemCount} interactions={beauty.InteractionCount}");
        string? cache = CachePath(context);
        if (cache != null && TryRead(cache, key) is { } cached)
        {
            context.Log($"SASRec embeddings from {cache} ({cached.Epochs} epochs, {cached.TrainSeconds:F0} s when trained, valid Recall@10 {cached.ValidRecall10:F4})");
            return cached;
        }

        LeaveOneOutSplit split = SequenceSplitter.LeaveOneOut(beauty, maxHistory: 0);
        EvaluationCase[] validation = [.. split.ValidationCases.Select(c => new EvaluationCase(c.UserIndex, c.FullHistory, [c.Target]))];
        var data = new CollaborativeTrainingData(split.UserCount, split.ItemCount, [.. split.TrainSequences], validation);
        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) context.Log("  " + e.Message); };
        context.Log($"training SASRec for the tokenizer ({key})");
        using CollaborativeEmbeddingModel model = CollaborativeEmbeddingTrainer.Train(ml, data, options, null, out TrainingResult result);
        context.Log($"SASRec: {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best valid Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}");
        var trained = new BeautySasRecEmbeddings(
            model.ItemEmbeddings.ToArray(), model.ItemCount, model.Dimension, result.EpochsCompleted, result.BestValidationMetric ?? double.NaN, result.TrainingTime.TotalSeconds, fromCache: false);
        if (cache != null)
        {
            trained.Write(cache, key);
            context.Log($"cached the embeddings in {cache}");
        }

        return trained;
    }

    /// <summary>Adds the figures that say which embeddings a run used (<c>sasrec_*</c> keys).</summary>
    public BenchmarkResult Describe(BenchmarkResult result) => result
        .Count("sasrec_epochs", Epochs)
        .Metric("sasrec_valid_recall_10", ValidRecall10)
        .Add("sasrec_train_seconds", TrainSeconds.ToString("F0", CultureInfo.InvariantCulture))
        .Count("sasrec_cached", FromCache ? 1 : 0);

    /// <summary>
    /// For every item, the other item whose embedding has the highest cosine similarity (ties: the lower index). The
    /// "CF nearest neighbour" of the ablation: two items a SASRec model treats as interchangeable.
    /// </summary>
    public int[] CosineNearestNeighbours()
    {
        // Honors GENREC_TORCH_THREADS also when the vectors came from the cache and no training set the thread count.
        TorchEnvironment.UseAllCores();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor all = nn.functional.normalize(tensor(Vectors, new long[] { ItemCount, Dimension }), p: 2, dim: 1);
        var neighbours = new int[ItemCount];
        const int chunk = 1024;
        for (int start = 0; start < ItemCount; start += chunk)
        {
            using var inner = NewDisposeScope();
            int rows = Math.Min(chunk, ItemCount - start);
            Tensor similarity = all.narrow(0, start, rows).matmul(all.t());
            // An item is always its own nearest neighbour; mask the diagonal so the search finds the closest other one.
            Tensor self = arange(start, start + rows, dtype: ScalarType.Int64).unsqueeze(1);
            similarity.scatter_(1, self, full(rows, 1, float.NegativeInfinity));
            similarity.argmax(1).data<long>().ToArray().Select(i => (int)i).ToArray().CopyTo(neighbours, start);
        }

        return neighbours;
    }

    /// <summary>Share of items whose <paramref name="neighbours"/> entry has the same first-level code in <paramref name="codes"/>.</summary>
    public static double SameFirstCodeShare(int[] neighbours, SemanticIdTable codes)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(codes);
        int same = 0;
        for (int item = 0; item < neighbours.Length; item++)
        {
            if (codes[item][0] == codes[neighbours[item]][0])
            {
                same++;
            }
        }

        return (double)same / neighbours.Length;
    }

    /// <summary>The cache file, or null for <c>--sasrec-cache none</c>; the default lives in the git-ignored <c>benchmarks/out/</c>.</summary>
    private static string? CachePath(BenchmarkContext context)
    {
        string? option = context.Option("sasrec-cache");
        if (string.Equals(option, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return option != null ? Path.GetFullPath(option) : Path.Combine(OutputFolder(), DefaultCache);
    }

    /// <summary>
    /// <c>benchmarks/out</c> of the repository the benchmark runs in: found by walking up from the working directory,
    /// because the build output may live anywhere (<c>--artifacts-path</c>).
    /// </summary>
    public static string OutputFolder()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "benchmarks", "GenRec.Benchmarks")))
            {
                return Path.Combine(dir.FullName, "benchmarks", "out");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "benchmarks", "out");
    }

    private static BeautySasRecEmbeddings? TryRead(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (reader.ReadString() != Magic || reader.ReadString() != key)
        {
            return null;
        }

        int items = reader.ReadInt32();
        int dimension = reader.ReadInt32();
        int epochs = reader.ReadInt32();
        double recall = reader.ReadDouble();
        double seconds = reader.ReadDouble();
        var vectors = new float[checked(items * dimension)];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = reader.ReadSingle();
        }

        return new BeautySasRecEmbeddings(vectors, items, dimension, epochs, recall, seconds, fromCache: true);
    }

    private void Write(string path, string key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written to a temporary file first so that an interrupted run never leaves a truncated cache behind.
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(key);
            writer.Write(ItemCount);
            writer.Write(Dimension);
            writer.Write(Epochs);
            writer.Write(ValidRecall10);
            writer.Write(TrainSeconds);
            foreach (float value in Vectors)
            {
                writer.Write(value);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
