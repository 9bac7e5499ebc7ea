// GenRec.MLNet sweep sample — search hyperparameters of the one pipeline the way ML.NET AutoML does.
//
//   dotnet run --project samples/Sweep                 (about 3–5 minutes on 2 cores)
//   dotnet run --project samples/Sweep -- 120          (a time budget in seconds instead of the default 300)
//
// What each step does:
//   1. Create the MLContext.   Seeded, so the sweep draws the same configurations every run.
//   2. Load data.              A small generated shop (600 users, 300 items; docs/demo-data.md) as User,Item,Timestamp rows.
//   3. Split.                  Leave-one-out with validation: trials train on Train and are scored on Validation.
//                              Test is touched once, at the end, for the chosen options.
//   4. Declare the space.      Which options may change: ranges (log scale for the learning rate), choices, and the
//                              budget (recommender epochs) that successive halving raises for the survivors.
//   5. Run the sweep.          Each trial builds the whole pipeline from its options, fits, and is scored on
//                              Recall@10 / NDCG@10; trials are printed as they end.
//   6. Report.                 The trials table and the best options; the best options are refitted on train +
//                              validation and scored on the test rows.
// Exit codes: 0 done, 1 no trial completed within the budget (the message says so), 2 a wrong argument.
using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Sweeping;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;

const string usage = "usage: dotnet run --project samples/Sweep [-- SECONDS]   (the sweep's time budget, default 300)";
uint seconds = 300;
if (args.Length > 1)
{
    Console.Error.WriteLine($"One argument only (the time budget in seconds); '{args[1]}' is a second.\n{usage}");
    return 2;
}

if (args.Length == 1 && !(uint.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds > 0))
{
    Console.Error.WriteLine($"'{args[0]}' is not a positive whole number of seconds.\n{usage}");
    return 2;
}

// 1. Create the MLContext ------------------------------------------------------------------------------------------
var mlContext = new MLContext(seed: 0);
var genRec = mlContext.GenerativeRecommendation();

// 2. Load data -----------------------------------------------------------------------------------------------------
InteractionDataset shop = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 600, ItemCount = 300 }).Dataset;
long[] time = shop.Timestamps!;
IDataView rows = mlContext.Data.Cache(mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, shop.InteractionCount).Select(i => new ShopRow
{
    User = shop.UserIds[shop.UserIndices[i]],
    Item = shop.ItemIds[shop.ItemIndices[i]],
    Timestamp = time[i],
}).ToArray()));
Console.WriteLine($"Generated shop: {shop}.");

// 3. Split ---------------------------------------------------------------------------------------------------------
InteractionSplit split = genRec.LeaveOneOutSplit(rows, nameof(ShopRow.User), nameof(ShopRow.Item), nameof(ShopRow.Timestamp), withValidation: true);
Console.WriteLine($"Split: {split}.");

// 4. Declare the space ---------------------------------------------------------------------------------------------
var space = new SearchSpace<GenerativePipelineOptions>(DefaultOptions)
    .Choice(o => o.Collaborative!.Dimension, 16, 32, 64)
    .Choice(o => o.Tokenizer.RqVae.CodebookSize, 8, 16, 32)
    .Uniform(o => o.Recommender.LearningRate, 1e-3, 1e-2, logScale: true)
    .Integer(o => o.Recommender.DecoderLayers, 1, 2)
    .Budget(o => o.Recommender.NumberOfEpochs, 2, 8);
Console.WriteLine($"\nSearch space:\n  {space.ToString().Replace(Environment.NewLine, Environment.NewLine + "  ")}");

// 5. Run the sweep -------------------------------------------------------------------------------------------------
// Successive halving with η = 2 over epochs 2 → 4 → 8: four configurations at 2 epochs, the best two at 4, the best at 8.
SweepExperiment<GenerativePipelineOptions> experiment = genRec.Sweep(space, BuildPipeline)
    .SetDataset(split)
    .SetTuner(SweepTuner.SuccessiveHalving, reductionFactor: 2)
    .SetMaxTrials(7)
    .SetTrainingTimeInSeconds(seconds)
    .SetSeed(0);
Console.WriteLine($"\nSweeping (at most 7 trials, {seconds} s):");
SweepResult<GenerativePipelineOptions> result;
try
{
    result = await experiment.RunAsync(new ConsoleProgress());
}
catch (InvalidOperationException error)
{
    // The sweep throws this when no trial completed within the budget (or every trial failed): nothing to report or refit.
    Console.Error.WriteLine(error.Message);
    return 1;
}

// 6. Report --------------------------------------------------------------------------------------------------------
Console.WriteLine($"\n{result.Trials.Count} trials in {result.Duration.TotalSeconds:F0} s, stopped by {result.StopReason}:\n");
Console.WriteLine(result.ToTable());
TrialResult<GenerativePipelineOptions> best = result.BestTrial;
Console.WriteLine($"Best: trial {best.Id}, validation Recall@10 {best.ValidationRecallAt10:F4}, NDCG@10 {best.ValidationNdcgAt10:F4}, with");
foreach (var (name, value) in best.Parameters)
{
    Console.WriteLine($"  {name} = {value}");
}

Console.WriteLine($"  {space.BudgetName} = {best.Budget}");

// The sweep never looked at the test rows. Refit the chosen options on everything but the test item and score it once.
InteractionSplit final = genRec.LeaveOneOutSplit(rows, nameof(ShopRow.User), nameof(ShopRow.Item), nameof(ShopRow.Timestamp), withValidation: false);
ITransformer model = BuildPipeline(mlContext, best.Options).Fit(final.Train);
RecommendationMetrics test = genRec.Evaluate(model.Transform(final.Test), ks: [10]);
Console.WriteLine($"\nBest options refitted on train + validation: test Recall@10 {test.Recall(10):F4}, NDCG@10 {test.Ndcg(10):F4} ({test.UserCount} users).");
return 0;

// The README pipeline's settings, at a size that trains in seconds here. Values the space does not sweep stay as set.
static GenerativePipelineOptions DefaultOptions() => new()
{
    Collaborative = new CollaborativeEmbeddingOptions { Dimension = 32, NumberOfEpochs = 10, LearningRate = 0.01, TimestampColumnName = nameof(ShopRow.Timestamp) },
    Tokenizer = new SemanticIdTokenizerOptions
    {
        ContentColumnName = "ItemEmbedding",
        RqVae = new RqVaeOptions { Levels = 3, CodebookSize = 16, CodeDimension = 16, EncoderLayerSizes = [64], NumberOfEpochs = 40 },
    },
    Recommender = new GenerativeRecommenderOptions
    {
        TimestampColumnName = nameof(ShopRow.Timestamp),
        Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
        DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
        NumberOfEpochs = 8, LearningRate = 3e-3,
    },
};

// One trial's pipeline from raw rows: the key mappings, then collaborative embedding → semantic IDs → generative recommender.
static IEstimator<ITransformer> BuildPipeline(MLContext ml, GenerativePipelineOptions options) =>
    ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ShopRow.User))
        .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ShopRow.Item)))
        .Append(ml.GenerativeRecommendation().GenerativePipeline(options));

/// <summary>An interaction as the sample loads it.</summary>
internal sealed class ShopRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }
}

/// <summary>Prints each trial on the sweep's thread as it ends (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
internal sealed class ConsoleProgress : IProgress<TrialResult<GenerativePipelineOptions>>
{
    public void Report(TrialResult<GenerativePipelineOptions> trial) => Console.WriteLine($"  {trial}");
}
