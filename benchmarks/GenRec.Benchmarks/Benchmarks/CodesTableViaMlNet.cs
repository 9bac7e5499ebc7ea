using GenRec.MLNet;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// A generative recommender trained on a given code table the way a user with imported codes trains it: raw
/// interaction rows with each item's semantic ID joined on as a UInt32 vector column → MapValueToKey ×2 →
/// <c>GenerativeRecommender</c>, one <c>Fit</c>, <c>Save</c>, <c>Load</c> in a fresh <c>MLContext</c>, and the test
/// rows (user and held-out item only) scored through the loaded zip. Shared by <c>tiger-beauty-letter-codes --via mlnet</c>
/// and <c>tokenizer-quality-beauty</c>, so every code set there goes through exactly the same path.
/// </summary>
internal static class CodesTableViaMlNet
{
    private static readonly int[] Ks = [5, 10];

    /// <summary>
    /// Fits on <paramref name="trainRows"/> with <paramref name="codes"/> joined on (row <c>i</c> of the table is the
    /// item whose <paramref name="itemIndex"/> is <c>i</c>), then saves, loads and scores <paramref name="testRows"/>.
    /// </summary>
    /// <param name="context">Log, seed and cancellation.</param>
    /// <param name="trainRows">What Fit sees: every user's sequence without its held-out item.</param>
    /// <param name="testRows">One row per user: the held-out item.</param>
    /// <param name="itemIndex">Item ID → row of <paramref name="codes"/>.</param>
    /// <param name="codes">The semantic IDs, one row per item.</param>
    /// <param name="options">The generative recipe; its column names are set here.</param>
    /// <param name="name">Names the temporary model zip.</param>
    public static CodesTableRun FitAndScore(
        BenchmarkContext context,
        IReadOnlyList<ViaMlNet.InteractionRow> trainRows,
        IReadOnlyList<ViaMlNet.InteractionRow> testRows,
        IReadOnlyDictionary<string, int> itemIndex,
        SemanticIdTable codes,
        GenerativeRecommenderOptions options,
        string name)
    {
        List<CodedRow> coded = [.. trainRows.Select(r => new CodedRow
        {
            User = r.User,
            Item = r.Item,
            Timestamp = r.Timestamp,
            SemanticId = [.. codes[itemIndex[r.Item]].ToArray().Select(c => checked((uint)c))],
        })];

        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Message.Contains("validation") || e.Message.Contains("stopp")))
            {
                context.Log("  " + e.Message);
            }
        };
        SchemaDefinition schema = SchemaDefinition.Create(typeof(CodedRow));
        schema[nameof(CodedRow.SemanticId)].ColumnType = new VectorDataViewType(NumberDataViewType.UInt32, codes.Levels);
        IDataView train = ml.Data.LoadFromEnumerable(coded, schema);

        options.TimestampColumnName = nameof(CodedRow.Timestamp);
        options.UserColumnName = "UserId";
        options.SemanticIdColumnName = nameof(CodedRow.SemanticId);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(CodedRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(CodedRow.Item)))
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(options));

        context.Log($"fit on {coded.Count:N0} interaction rows ({testRows.Count:N0} test users), {codes.Levels}-level codes: {options.Architecture}, {options.EncoderLayers}+{options.DecoderLayers} layers, d {options.ModelDimension}, batch {options.BatchSize}, lr {options.LearningRate}, {options.LearningRateSchedule}, budget {options.MaxTrainingTime}");
        var (model, fitTime) = context.Time("fit", () => pipeline.Fit(train));
        TrainingResult result = model.LastTransformer.TrainingResult;
        context.Log($"trained {result.EpochsCompleted} epochs in {result.TrainingTime.TotalSeconds:F0} s ({result.StopReason}); best validation Recall@10 {result.BestValidationMetric:F4} at epoch {result.BestEpoch}; {result.ExamplesPerSecond:F0} samples/s");

        var ((metrics, evalTime), saveTime, loadTime) = ViaMlNet.SaveLoadAndScore(context, ml, model, train.Schema, name, (fresh, loaded) =>
            context.Time("score the test split through the loaded zip", () =>
                fresh.GenerativeRecommendation().Evaluate(loaded.Transform(fresh.Data.LoadFromEnumerable(testRows)), "UserId", "ItemId", "RecommendedItems", Ks)));
        context.LogMetrics(metrics);
        return new CodesTableRun(metrics, result, fitTime, saveTime, loadTime, evalTime);
    }

    /// <summary>An interaction row with the item's semantic ID joined on.</summary>
    private sealed class CodedRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        public uint[] SemanticId { get; set; } = [];
    }
}
