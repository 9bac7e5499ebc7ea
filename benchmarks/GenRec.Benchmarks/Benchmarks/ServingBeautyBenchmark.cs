using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>serving-beauty</c>: how fast a saved-and-loaded generative model serves, by path. A small model is trained on
/// Beauty interaction rows with LETTER's released codes as the SemanticId column (--train-minutes, quality does not
/// matter here), saved and loaded in a fresh MLContext; then the same users (--users, default 2,000, each from the
/// training history stored in the zip) are scored (a) by the model in batches, (b) by the loaded zip's own
/// <c>Transform</c> (ML.NET custom mappings: one row at a time) and by <c>TransformInBlocks</c> over the same zip,
/// (c) by two threads with one <c>PredictionEngine</c> each, and by one engine alone. One torch thread throughout, so
/// two scoring threads use two cores.
/// </summary>
internal sealed class ServingBeautyBenchmark : IBenchmark
{
    public string Name => "serving-beauty";

    public string Description => "serving throughput of a loaded generative model on Beauty: batched engine, Transform, blocks, 1 and 2 PredictionEngines";

    public IReadOnlyCollection<string> ExtraOptions => ["architecture", "train-minutes", "users", "block-size", "engine-chunks"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        var total = Stopwatch.StartNew();
        torch.set_num_threads(1);
        InteractionDataset beauty = BenchmarkDatasets.LoadBeauty(context);
        SemanticIdTable codes = SemanticIdCodeFileImporter.ImportJson(context.DataFile("beauty", "Beauty.letter-index.json"));
        int[][] sequences = beauty.SequencesByUser();
        var ml = new MLContext(context.Seed);
        var options = new GenerativeRecommenderOptions
        {
            Architecture = context.Option("architecture") == "decoder-only" ? GenerativeArchitecture.DecoderOnly : GenerativeArchitecture.EncoderDecoder,
            UserColumnName = "UserId",
            TimestampColumnName = nameof(Row.Timestamp),
            MaxHistoryLength = 20,
            BeamSize = 20,
            TopK = 10,
            ExcludeHistoryFromRecommendations = false,
            NumberOfEpochs = 50,
            HoldOutLastItemForValidation = false, // no validation pass: the model's quality is not measured here
            MaxTrainingTime = TimeSpan.FromMinutes(context.DoubleOption("train-minutes", 2)),
            LogEveryNSteps = 200,
            Seed = context.Seed,
        };

        // Every user's whole sequence (every item needs a row for its code; quality is not measured), as interaction rows carrying the item's LETTER code.
        var rows = new List<Row>();
        for (int user = 0; user < sequences.Length; user++)
        {
            for (int t = 0; t < sequences[user].Length; t++)
            {
                int item = sequences[user][t];
                rows.Add(new Row { User = beauty.UserIds[user], Item = beauty.ItemIds[item], Timestamp = t, Codes = Array.ConvertAll(codes.GetCodes(item), c => (uint)c) });
            }
        }

        IDataView train = ml.Data.LoadFromEnumerable(rows);
        // keyData: key k is dataset item (user) k − 1, so item keys index the LETTER table directly.
        IDataView itemIds = ml.Data.LoadFromEnumerable(beauty.ItemIds.Select(id => new KeyRow { Id = id }));
        IDataView userIds = ml.Data.LoadFromEnumerable(beauty.UserIds.Select(id => new KeyRow { Id = id }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(Row.User), keyData: userIds)
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(Row.Item), keyData: itemIds))
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(Row.Codes)))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(options));
        context.Log($"fit {options.Architecture} on {rows.Count:N0} rows, budget {options.MaxTrainingTime}");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));

        int users = Math.Min(context.IntOption("users", 2000), sequences.Length);
        int blockSize = context.IntOption("block-size", 128);
        Row[] scoringRows = Enumerable.Range(0, users).Select(u => new Row { User = beauty.UserIds[u] }).ToArray();
        RecommendationRequest[] requests = Enumerable.Range(0, users).Select(u => new RecommendationRequest(u, sequences[u])).ToArray();

        string zip = Path.Combine(Path.GetTempPath(), $"genrec-serving-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, zip);
            var fresh = new MLContext(context.Seed + 1);
            ITransformer loaded = fresh.Model.Load(zip, out _);
            GenerativeRecommenderModel engineModel = GenerativeModelBlob.Load(GenerativeModelBlob.Save(model.LastTransformer.Model));
            IDataView scoringView = fresh.Data.LoadFromEnumerable(scoringRows);

            // Warm-up: first rows build the model from the zip and touch every path once.
            Count(loaded.Transform(fresh.Data.LoadFromEnumerable(scoringRows.Take(4))));
            engineModel.Recommend(requests.Take(4).ToArray(), 10, false);

            double engine = Rate(context, "(a) engine in batches", users, () => engineModel.Recommend(requests, options.TopK, excludeHistory: false));
            foreach (int chunk in context.Option("engine-chunks")?.Split(',').Select(int.Parse) ?? [])
            {
                // Diagnostic: the same engine called with `chunk` users per call (one batched beam search each).
                Rate(context, $"(a') engine, {chunk} users per call", users, () => requests.Chunk(chunk).Sum(part => engineModel.Recommend(part, options.TopK, excludeHistory: false).Length));
            }

            double transform = Rate(context, "(b) loaded zip: Transform", users, () => Count(loaded.Transform(scoringView)));
            double blocks = Rate(context, $"(b) loaded zip: TransformInBlocks ({blockSize} rows)", users, () => Count(fresh.GenerativeRecommendation().TransformInBlocks(loaded, scoringView, blockSize)));
            double engine1 = Rate(context, "one PredictionEngine", users, () => Predict(fresh, loaded, scoringRows));
            double engines2 = Rate(context, "(c) two threads, one PredictionEngine each", users, () =>
            {
                int half = users / 2;
                Thread[] threads = new[] { scoringRows[..half], scoringRows[half..] }
                    .Select(part => new Thread(() => Predict(new MLContext(context.Seed), loaded, part))).ToArray();
                foreach (Thread thread in threads)
                {
                    thread.Start();
                }

                foreach (Thread thread in threads)
                {
                    thread.Join();
                }

                return users;
            });

            return new BenchmarkResult()
                .Add("architecture", options.Architecture == GenerativeArchitecture.DecoderOnly ? "decoder-only" : "encoder-decoder")
                .Count("users", users)
                .Add("engine_users_per_s", F(engine))
                .Add("transform_users_per_s", F(transform))
                .Add("blocks_users_per_s", F(blocks))
                .Add("engine1_users_per_s", F(engine1))
                .Add("engines2_users_per_s", F(engines2))
                // The ratio: (b) Transform over the loaded zip ÷ (a) the batched engine. Until 2026-11-30 this key
                // held blocks / engine, now blocks_ratio; transform_ratio stays for the records that used it.
                .Add("ratio", F2(transform / engine))
                .Add("transform_ratio", F2(transform / engine))
                .Add("blocks_ratio", F2(blocks / engine))
                .Add("scaling", F2(engines2 / engine1))
                .Seconds("fit_seconds", fitTime)
                .Seconds("seconds", total.Elapsed);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static double Rate(BenchmarkContext context, string what, int users, Func<object> score)
    {
        int gen2 = GC.CollectionCount(2);
        TimeSpan paused = GC.GetTotalPauseDuration();
        var (_, time) = context.Time(what, score);
        double rate = users / time.TotalSeconds;
        context.Log($"  {what}: {rate:F1} users/s (gen-2 collections {GC.CollectionCount(2) - gen2}, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s)");
        return rate;
    }

    /// <summary>Reads every row's recommendations, as a consumer of the scored view does.</summary>
    private static int Count(IDataView scored)
    {
        DataViewSchema.Column items = scored.Schema["RecommendedItems"];
        using DataViewRowCursor cursor = scored.GetRowCursor(new[] { items, scored.Schema["Scores"] });
        var getter = cursor.GetGetter<VBuffer<uint>>(items);
        VBuffer<uint> value = default;
        int rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows += value.Length > 0 ? 1 : 0;
        }

        return rows;
    }

    private static int Predict(MLContext ml, ITransformer loaded, Row[] rows)
    {
        var engine = ml.Model.CreatePredictionEngine<Row, Output>(loaded);
        int served = 0;
        foreach (Row row in rows)
        {
            served += engine.Predict(row).RecommendedItems.Length > 0 ? 1 : 0;
        }

        return served;
    }

    /// <summary>One interaction row (training) or one user to score (Item empty).</summary>
    private sealed class Row
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        public uint[] Codes { get; set; } = Array.Empty<uint>();
    }

    private sealed class KeyRow
    {
        public string Id { get; set; } = "";
    }

    private sealed class Output
    {
        public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

        public float[] Scores { get; set; } = Array.Empty<float>();
    }
}
