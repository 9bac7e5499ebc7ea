// QuickStart: the README's first pipeline program, on the library's generated shop instead of a CSV file.
//
//   dotnet run --project samples/QuickStart                   (writes quickstart-output/model.zip and items.tsv)
//   dotnet run --project samples/QuickStart -- OUTPUT_FOLDER
//   dotnet run --project samples/QuickStart -- OUTPUT_FOLDER --users 200 --items 100   (a smaller shop: seconds, not minutes)
//
// What it does, step by step (Model Builder style):
//   1. Data.      SyntheticCatalogGenerator makes the demo's shop (2,000 users, 1,000 titled items, ~35,600 time-ordered
//                 purchases; docs/demo-data.md; --users and --items change the size). The rows have the README's
//                 shape: User, Item, Timestamp.
//   2. Pipeline.  MapValueToKey (users, items) -> CollaborativeEmbedding (MF-BPR) -> SemanticIdTokenizer (RQ-VAE,
//                 3 levels x 16 codes) -> GenerativeRecommender (decoder-only) -> MapKeyToValue, with the README's
//                 settings. One addition: a History column (item IDs, empty while training) mapped to the same item
//                 keys, so the saved model also serves "recommend after these items" (samples/ServeModel uses it).
//   3. Fit, Save. One Fit; the zip holds everything (weights, codes, stored histories).
//   4. Load.      A fresh MLContext loads the zip, as another process would, and a PredictionEngine serves a user's
//                 top 10 as original item IDs, shown with their titles; then the same for a made-up history.
// Exit codes: 0 done, 2 a wrong argument (the message names it, then the usage).
using System.Diagnostics;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.Samples.QuickStart;
using Microsoft.ML;

QuickStartArguments arguments;
try
{
    arguments = QuickStartArguments.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(QuickStartArguments.Usage);
    return 2;
}

string outputFolder = arguments.OutputFolder;
Directory.CreateDirectory(outputFolder);
var clock = Stopwatch.StartNew();

// 1. Data ------------------------------------------------------------------------------------------------------------
SyntheticCatalog shop = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = arguments.Users, ItemCount = arguments.Items });
InteractionDataset data = shop.Dataset;
ShopRow[] rows = ShopRows.From(data);
Console.WriteLine($"Generated shop: {data}.");

var mlContext = new MLContext(seed: 0);
IDataView interactions = mlContext.Data.LoadFromEnumerable(rows);

// 2. Pipeline (the README's, plus the History mapping) -----------------------------------------------------------------
// Both item mappings read their keys from the same list, so a history's keys are the ItemId keys (the generative stage
// checks this by value).
IDataView itemKeys = mlContext.Data.LoadFromEnumerable(data.ItemIds.Select(id => new ItemKeyRow { Item = id }));
var genRec = mlContext.GenerativeRecommendation();
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("UserId", nameof(ShopRow.User))
    .Append(mlContext.Transforms.Conversion.MapValueToKey("ItemId", nameof(ShopRow.Item), keyData: itemKeys))
    .Append(mlContext.Transforms.Conversion.MapValueToKey("PredictionHistory", nameof(ShopRow.History), keyData: itemKeys))
    .Append(genRec.CollaborativeEmbedding(new CollaborativeEmbeddingOptions
    {
        Dimension = 32, NumberOfEpochs = 10, LearningRate = 0.01, TimestampColumnName = nameof(ShopRow.Timestamp),
    }))
    .Append(genRec.SemanticIdTokenizer(new SemanticIdTokenizerOptions
    {
        ContentColumnName = "ItemEmbedding",
        RqVae = new RqVaeOptions { Levels = 3, CodebookSize = 16, CodeDimension = 16, EncoderLayerSizes = [64], NumberOfEpochs = 40 },
    }))
    .Append(genRec.GenerativeRecommender(new GenerativeRecommenderOptions
    {
        TimestampColumnName = nameof(ShopRow.Timestamp),
        PredictionHistoryColumnName = "PredictionHistory",
        Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
        DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
        NumberOfEpochs = 15, LearningRate = 3e-3, MaxTrainingTime = TimeSpan.FromSeconds(60),
    }))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("RecommendedItemIds", "RecommendedItems"));

// 3. Fit and Save ------------------------------------------------------------------------------------------------------
Console.WriteLine($"Fitting the pipeline on {rows.Length:N0} interaction rows (MF-BPR -> RQ-VAE -> generative) ...");
var fitClock = Stopwatch.StartNew();
var model = pipeline.Fit(interactions);
var stages = model.ToArray();
var tokenizer = (SemanticIdTokenizerTransformer)stages[4];
var generative = (GenerativeRecommenderTransformer)stages[5];
Console.WriteLine($"  fitted in {fitClock.Elapsed.TotalSeconds:F0} s; semantic IDs: {tokenizer.Statistics.DistinctIds:N0} distinct for " +
                  $"{tokenizer.Codes.ItemCount:N0} items; generative: {generative.TrainingResult.EpochsCompleted} epochs " +
                  $"({generative.TrainingResult.StopReason}), best validation Recall@10 {generative.TrainingResult.BestValidationMetric:F3}.");

string modelPath = Path.Combine(outputFolder, "model.zip");
string titlesPath = Path.Combine(outputFolder, "items.tsv");
mlContext.Model.Save(model, interactions.Schema, modelPath);
ItemTitleFile.Write(titlesPath, data.ItemIds, shop.ItemTitles);
Console.WriteLine($"Saved {modelPath} ({new FileInfo(modelPath).Length / 1e6:F1} MB) and the item titles to {titlesPath}.");

// 4. Load in a fresh context and recommend -------------------------------------------------------------------------------
var serving = new MLContext();
ITransformer loaded = serving.Model.Load(modelPath, out _);
var engine = serving.Model.CreatePredictionEngine<ShopRow, ShopRecommendation>(loaded);
Dictionary<string, string> titles = ItemTitleFile.Read(titlesPath);

string user = data.UserIds[0];
string[] bought = data.SequencesByUser()[0].Select(item => data.ItemIds[item]).ToArray();
Console.WriteLine($"\n{user} bought last:");
foreach (string item in bought.TakeLast(5))
{
    Console.WriteLine($"  {item,-10} {titles[item]}");
}

Print($"Top 10 for {user} (from the loaded zip):", engine.Predict(new ShopRow { User = user }), titles);

// The same model, asked about a history the request brings (the user field is left empty: an anonymous visitor).
string[] visit = bought.TakeLast(3).ToArray();
Print($"Top 10 after a visit to {string.Join(", ", visit)} (a history the request brings):",
    engine.Predict(new ShopRow { History = visit }), titles);

Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F0} s. Serve the model with:");
Console.WriteLine($"  dotnet run --project samples/ServeModel -- --GenRec:ModelPath={modelPath} --GenRec:ItemTitlesPath={titlesPath}");
return 0;

static void Print(string heading, ShopRecommendation result, IReadOnlyDictionary<string, string> titles)
{
    Console.WriteLine($"\n{heading}");
    for (int rank = 0; rank < result.RecommendedItemIds.Length; rank++)
    {
        string item = result.RecommendedItemIds[rank];
        Console.WriteLine($"  {rank + 1,2}. {item,-10} {titles[item],-60} score {result.Scores[rank]:F3}");
    }
}
