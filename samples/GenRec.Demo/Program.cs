// GenRec.MLNet demo — collaborative recommendation on a synthetic shop, end to end, in under a minute on 2 cores.
//
//   dotnet run --project samples/GenRec.Demo
//   dotnet run --project samples/GenRec.Demo -- --export-interactions interactions.csv   (writes the generated data as CSV and exits)
//
// What each step does (Model Builder style):
//   1. Create the MLContext.   Seeded (seed: 0), so every run trains the same model and prints the same numbers.
//   2. Load data.              SyntheticCatalogGenerator makes a deterministic catalog: 2,000 users, 1,000 items with
//                              titles and category text, and ~35,600 time-ordered interactions that mix popularity,
//                              per-user category taste and "what comes next" structure (see docs/demo-data.md).
//   3. Split.                  Leave-one-out per user: the last item is the test target, the one before it the
//                              validation target, older items are training history (at most the last 20 are read).
//   4. Build the IDataView.    InteractionDataViews.ToDataView turns the training interactions into ML.NET rows with
//                              UserId / ItemId key columns (key = index + 1; key 0 = unseen).
//   5. Train.                  mlContext.GenerativeRecommendation().CollaborativeEmbedding(...) is an ML.NET
//                              estimator: Fit trains matrix factorization with BPR on TorchSharp (CPU here, CUDA when
//                              built for it), holding out each user's last training item to keep the best epoch.
//   6. Evaluate.               RecommenderEvaluator ranks all 1,000 items for every test user and reports Recall, HR,
//                              NDCG and MRR for popularity, co-occurrence and the trained model.
//   7. Consume the model.      Transform gives ML.NET columns (embeddings, RecommendedItems, Scores); the trained
//                              Model is also an IRecommender over item indices. Recommendations are shown with text.
//   8. Semantic IDs.           Item text -> TF-IDF + PCA vectors (ContentVectorizers) -> SemanticIdTokenizer (RQ-VAE):
//                              every item gets a short code tuple; similar items share prefixes.
//   9. Generate.               GenerativeRecommender reads each user's history as those codes and generates the next
//                              item's ID with beam search over a prefix trie of valid IDs (a small decoder-only model).
using System.Diagnostics;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

// --export-interactions FILE: write the generated shop as User,Item,Timestamp CSV and exit (see InteractionCsvExport).
if (args is [InteractionCsvExport.Flag, ..])
{
    InteractionCsvExport.Run(args, SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions()).Dataset);
    return;
}

var clock = Stopwatch.StartNew();

// 1. Create the MLContext ------------------------------------------------------------------------------------------
var mlContext = new MLContext(seed: 0);
// Show the training loop's own progress lines (it logs through MLContext.Log, like every ML.NET trainer).
mlContext.Log += (_, e) =>
{
    if (e.Kind == ChannelMessageKind.Info && e.Source.StartsWith("CollaborativeEmbedding", StringComparison.Ordinal))
    {
        Console.WriteLine($"    {e.RawMessage}");
    }
};

// 2. Load data -----------------------------------------------------------------------------------------------------
SyntheticCatalog catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions());
InteractionDataset data = catalog.Dataset;
Console.WriteLine($"Synthetic catalog: {data}.");
Console.WriteLine("A few items and their text:");
foreach (int item in new[] { 0, 1, 2, 3, 4 })
{
    Console.WriteLine($"  {data.ItemIds[item]}  {data.ItemText![item]}");
}

// 3. Split ---------------------------------------------------------------------------------------------------------
LeaveOneOutSplit split = SequenceSplitter.LeaveOneOut(data, maxHistory: 20);
Console.WriteLine($"\nLeave-one-out split: {split}.");

// Everything but each user's test item is known at test time, so models train on training + validation items; the
// estimator below holds the last of those (the validation item) out again to pick its best epoch.
InteractionDataset known = split.TrainDataset(includeValidation: true);
EvaluationCase[] testCases = [.. split.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.History, [c.Target]))];

// 4. Build the IDataView -------------------------------------------------------------------------------------------
IDataView trainingData = known.ToDataView(mlContext);
Console.WriteLine($"Training IDataView: {trainingData.GetRowCount():N0} rows, columns " +
                  string.Join(", ", trainingData.Schema.Select(c => $"{c.Name} ({c.Type})")) + ".");

// 5. Train ---------------------------------------------------------------------------------------------------------
// Matrix factorization learns one vector per user and per item from the BPR objective ("a bought item should score
// above a random one"). A learning rate of 0.01 and 10 epochs at most converge in a few seconds on this data; the
// estimator validates after every epoch and keeps the best one (early stopping after 3 epochs without improvement).
var pipeline = mlContext.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
{
    UserColumnName = InteractionDataViews.UserIdColumn,
    ItemColumnName = InteractionDataViews.ItemIdColumn,
    Model = CollaborativeModelKind.MatrixFactorization,
    Dimension = 32,
    NumberOfEpochs = 10,
    LearningRate = 0.01,
    LogEveryNSteps = 1000,
});
Console.WriteLine("\nTraining matrix factorization (BPR) ...");
var trainWatch = Stopwatch.StartNew();
CollaborativeEmbeddingTransformer trained = pipeline.Fit(trainingData);
Console.WriteLine($"Trained in {trainWatch.Elapsed.TotalSeconds:F1} s: " +
                  $"{trained.Model.UserCount:N0} user and {trained.Model.ItemCount:N0} item embeddings of dimension {trained.Model.Dimension}" +
                  (pipeline.LastTrainingResult is { } run ? $", best epoch {run.BestEpoch} of {run.EpochsCompleted} ({run.StopReason})." : "."));

// 6. Evaluate ------------------------------------------------------------------------------------------------------
// Full ranking over all items; users never re-buy in this catalog, so history items are excluded from every list.
int[] ks = [5, 10, 20];
var recommenders = new (string Name, IRecommender Model)[]
{
    ("Popularity", new PopularityRecommender(known)),
    ("Co-occurrence", new CoOccurrenceRecommender(known)),
    ("Matrix factorization (BPR)", trained.Model),
};
Console.WriteLine($"\nTest metrics ({testCases.Length:N0} users, ranking all {data.ItemCount:N0} items):");
Console.WriteLine($"  {"Recommender",-28} {"Recall@5",9} {"Recall@10",9} {"Recall@20",9} {"NDCG@10",9} {"MRR@10",9}");
foreach (var (name, recommender) in recommenders)
{
    MetricsTable metrics = RecommenderEvaluator.Evaluate(recommender, testCases, ks, excludeHistory: true);
    Console.WriteLine($"  {name,-28} {metrics[MetricNames.Recall, 5],9:F4} {metrics[MetricNames.Recall, 10],9:F4} " +
                      $"{metrics[MetricNames.Recall, 20],9:F4} {metrics[MetricNames.Ndcg, 10],9:F4} {metrics[MetricNames.Mrr, 10],9:F4}");
}

Console.WriteLine("  (Co-occurrence wins here: about half of the next items follow the previous item in this catalog, and");
Console.WriteLine("   matrix factorization sees which items a user has, not their order - see docs/demo-data.md.)");

// 7. Consume the model ---------------------------------------------------------------------------------------------
SequenceCase user = split.TestCases[0];
Console.WriteLine($"\nUser {data.UserIds[user.UserIndex]} recently bought:");
foreach (int item in user.History.TakeLast(5))
{
    Console.WriteLine($"  {data.ItemText![item]}");
}

Console.WriteLine($"... and next bought (held out): {data.ItemText![user.Target]}");

// The ML.NET way: Transform a row for this user and read the RecommendedItems key column (key = item index + 1).
// The row uses the same key types as the training data, which is what the transformer checks.
IDataView oneUser = new InteractionDataset(data.UserIds, data.ItemIds, [user.UserIndex], [user.History[^1]]).ToDataView(mlContext);
IDataView predictions = trained.Transform(oneUser);
uint[] recommendedKeys = predictions.GetColumn<uint[]>("RecommendedItems").Single();
float[] scores = predictions.GetColumn<float[]>("Scores").Single();
Console.WriteLine("Matrix factorization recommends (from the RecommendedItems column):");
for (int r = 0; r < Math.Min(5, recommendedKeys.Length); r++)
{
    int item = (int)recommendedKeys[r] - 1;
    string hit = item == user.Target ? "   <- the held-out item" : "";
    Console.WriteLine($"  {r + 1}. {data.ItemText![item]}  (score {scores[r]:F3}){hit}");
}

// 8. Semantic IDs --------------------------------------------------------------------------------------------------
// One row per item: its key and a dense vector of its text. The RQ-VAE learns 3 levels of 16 codes; collisions are
// resolved (Sinkhorn re-assignment), so every item's ID is unique.
Console.WriteLine("\nTokenizing items from their text (TF-IDF + PCA -> RQ-VAE, 3 levels x 16 codes) ...");
IDataView itemText = data.ItemTextDataView(mlContext);
IDataView itemVectors = ContentVectorizers.TextToDenseVector(mlContext, "Features", InteractionDataViews.TextColumn, new TextVectorOptions { Dimension = 32 })
    .Fit(itemText).Transform(itemText);
SemanticIdTokenizerTransformer tokenizer = mlContext.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
{
    ItemColumnName = InteractionDataViews.ItemIdColumn,
    ContentColumnName = "Features",
    RqVae = new RqVaeOptions { Levels = 3, CodebookSize = 16, CodeDimension = 16, EncoderLayerSizes = [64], NumberOfEpochs = 40, BatchSize = 256, DeadCodeResetSteps = 20, LogEveryNSteps = 1000 },
}).Fit(itemVectors);
Console.WriteLine($"  {tokenizer.Statistics.DistinctIds:N0} distinct IDs for {tokenizer.Codes.ItemCount:N0} items, first level uses {tokenizer.Statistics.PerLevel[0].UsedCodes} of 16 codes.");
foreach (int item in user.History.TakeLast(3))
{
    Console.WriteLine($"  {tokenizer.Codes.Format(item)}  {data.ItemText![item]}");
}

// 9. Generate -------------------------------------------------------------------------------------------------------
// One row per user: the known history as item IDs, mapped to keys in item-index order so key k has the codes of row
// k - 1. A small decoder-only model (it learns from every position of a history in one pass) trains for 40 s at most.
IDataView itemIds = mlContext.Data.LoadFromEnumerable(data.ItemIds.Select(id => new ItemIdRow { Id = id }));
int[][] knownSequences = known.SequencesByUser();
IDataView histories = mlContext.Data.LoadFromEnumerable(knownSequences.Select(s => new HistoryRow { Items = [.. s.Select(i => data.ItemIds[i])] }));
var generativePipeline = mlContext.Transforms.Conversion.MapValueToKey("History", nameof(HistoryRow.Items), keyData: itemIds)
    .Append(mlContext.GenerativeRecommendation().GenerativeRecommender(tokenizer.Codes, new GenerativeRecommenderOptions
    {
        Architecture = GenerativeArchitecture.DecoderOnly,
        InputMode = GenerativeInputMode.ItemEmbedding,
        EncoderLayers = 2, DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
        NumberOfEpochs = 15, LearningRate = 3e-3, MaxTrainingTime = TimeSpan.FromSeconds(40), MaxValidationUsers = 500,
        ValidateEveryNEpochs = 3, LogEveryNSteps = 1000,
    }));
Console.WriteLine("Training the generative recommender (decoder-only, at most 40 s) ...");
var generative = generativePipeline.Fit(histories);
GenerativeRecommenderModel generator = generative.LastTransformer.Model;
MetricsTable generated = RecommenderEvaluator.Evaluate(generator, testCases, ks, excludeHistory: true);
Console.WriteLine($"  {"Generative (beam 20)",-28} {generated[MetricNames.Recall, 5],9:F4} {generated[MetricNames.Recall, 10],9:F4} " +
                  $"{generated[MetricNames.Recall, 20],9:F4} {generated[MetricNames.Ndcg, 10],9:F4} {generated[MetricNames.Mrr, 10],9:F4}");
int[] next = generator.Recommend([new RecommendationRequest(user.UserIndex, user.History)], 3, excludeHistory: true)[0];
Console.WriteLine("It generates for the user above:");
foreach (int item in next)
{
    Console.WriteLine($"  {tokenizer.Codes.Format(item)}  {data.ItemText![item]}{(item == user.Target ? "   <- the held-out item" : "")}");
}

Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F1} s.");

internal sealed class ItemIdRow
{
    public string Id { get; set; } = "";
}

internal sealed class HistoryRow
{
    public string[] Items { get; set; } = [];
}
