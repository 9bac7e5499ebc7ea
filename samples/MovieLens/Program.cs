// MovieLens: movie titles and genres -> text vectors -> semantic IDs -> a generative recommender, measured against
// popularity, co-occurrence and SASRec on the same leave-last-out split, with recommendations printed as titles.
//
//   dotnet run -c Release --project samples/MovieLens                          (ml-latest-small from the shared datasets)
//   dotnet run -c Release --project samples/MovieLens -- ~/data/ml-latest-small --minutes 10
//
// What it does, step by step (Model Builder style):
//   1. Load.      MovieLensLoader reads ratings.csv and movies.csv; every rating is an interaction, and each movie's
//                 text is "Title (Year) | Genre1, Genre2". The 5-core filter keeps users and movies with 5+ ratings.
//   2. Split.     Leave-last-out: each user's last movie (by time) is the test target; everything before it trains.
//   3. Baselines. Popularity and co-occurrence ("movies watched right after your last one") from the training data.
//   4. SASRec.    MapValueToKey -> CollaborativeEmbedding (SASRec) -> MapKeyToValue: a sequential model of IDs only.
//   5. Generative. MapValueToKey -> TextToDenseVector (TF-IDF + PCA) -> SemanticIdTokenizer (RQ-VAE) ->
//                 GenerativeRecommender -> MapKeyToValue: one Fit, Save to a zip, Load in a fresh MLContext.
//   6. Evaluate.  Recall and NDCG at 5 and 10 over all movies for every test user, movies already seen left out.
//   7. Show.      One user's last movies, the held-out one, and what the generative model and SASRec recommend.
// --minutes is the training budget of SASRec (40%) and the generative model (60%); the rest takes about a minute on
// ml-latest-small. A fraction works too: tests run the sample on a tiny generated folder with --minutes 0.1.
// Exit codes: 0 done, 1 the folder cannot be read, 2 a wrong argument (the message names it, then the usage).
using System.Diagnostics;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.Samples.MovieLens;
using Microsoft.ML;
using Microsoft.ML.Runtime;

SampleArguments arguments;
try
{
    arguments = SampleArguments.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(SampleArguments.Usage);
    return 2;
}

var clock = Stopwatch.StartNew();
int[] ks = [5, 10];

// 1. Load --------------------------------------------------------------------------------------------------------------
InteractionDataset movies;
try
{
    string? tags = null; // titles and genres only: tags are written by the same users whose futures we predict
    InteractionDataset all = MovieLensLoader.Load(Path.Combine(arguments.Folder, "ratings.csv"), Path.Combine(arguments.Folder, "movies.csv"), tags);
    movies = KCoreFilter.Apply(all.OrderByTime(), 5);
    Console.WriteLine($"Loaded {arguments.Folder}: {all}; 5-core: {movies}.");
}
catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or DataFormatException)
{
    Console.Error.WriteLine($"Cannot read the MovieLens folder: {error.Message}");
    return 1;
}

Console.WriteLine($"  a movie's text: \"{movies.ItemText![0]}\"");

// 2. Split -------------------------------------------------------------------------------------------------------------
LeaveLastOut split = LeaveLastOut.Split(movies);
Console.WriteLine($"Leave-last-out: {split.TrainRows.Length:N0} training rows, {split.TestRows.Length:N0} test users.");

var ml = new MLContext(seed: arguments.Seed);
ml.Log += (_, e) =>
{
    // The trainers' own progress lines: validation after each epoch and why training stopped.
    if (e.Kind == ChannelMessageKind.Info && (e.Message.Contains("validation", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("stopp", StringComparison.OrdinalIgnoreCase)))
    {
        Console.WriteLine($"    {e.Message}");
    }
};
IDataView train = ml.Data.LoadFromEnumerable(split.TrainRows);
IDataView test = ml.Data.LoadFromEnumerable(split.TestRows);
var results = new ResultTable(ks);

// 3. Baselines ---------------------------------------------------------------------------------------------------------
results.Add("Popularity", RecommenderEvaluator.Evaluate(new PopularityRecommender(split.TrainDataset), split.Cases, ks, excludeHistory: true));
results.Add("Co-occurrence", RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(split.TrainDataset), split.Cases, ks, excludeHistory: true));

// 4. SASRec ------------------------------------------------------------------------------------------------------------
TimeSpan sasRecBudget = TimeSpan.FromMinutes(arguments.Minutes * 0.4);
Console.WriteLine($"\nTraining SASRec (CollaborativeEmbedding, at most {sasRecBudget.TotalMinutes:F1} min) ...");
var watch = Stopwatch.StartNew();
ITransformer sasRec = MoviePipelines.SasRec(ml, sasRecBudget).Fit(train);
Console.WriteLine($"  trained in {watch.Elapsed.TotalSeconds:F0} s.");
results.Add("SASRec", ml.GenerativeRecommendation().Evaluate(sasRec.Transform(test), ks: ks));

// 5. Generative: Fit, Save, Load ---------------------------------------------------------------------------------------
TimeSpan generativeBudget = TimeSpan.FromMinutes(arguments.Minutes * 0.6);
Console.WriteLine($"\nTraining text -> semantic IDs -> generative recommender (generative stage at most {generativeBudget.TotalMinutes:F1} min) ...");
watch.Restart();
ITransformer generative = MoviePipelines.Generative(ml, generativeBudget, movies.ItemCount).Fit(train);
ITransformer[] stages = [.. (IEnumerable<ITransformer>)generative]; // a TransformerChain: the fitted stages in order
var tokenizer = stages.OfType<SemanticIdTokenizerTransformer>().Single();
var recommender = stages.OfType<GenerativeRecommenderTransformer>().Single();
Console.WriteLine($"  trained in {watch.Elapsed.TotalSeconds:F0} s: {tokenizer.Statistics.DistinctIds:N0} distinct semantic IDs for {tokenizer.Codes.ItemCount:N0} movies " +
                  $"(first level uses {tokenizer.Statistics.PerLevel[0].UsedCodes} of {MoviePipelines.CodebookSize(movies.ItemCount)} codes); generative: {recommender.TrainingResult.EpochsCompleted} epochs ({recommender.TrainingResult.StopReason}).");

string zip = Path.Combine(Path.GetTempPath(), $"genrec-movielens-{Guid.NewGuid():N}.zip");
var serving = new MLContext(seed: arguments.Seed);
ITransformer loaded;
try
{
    ml.Model.Save(generative, train.Schema, zip);
    Console.WriteLine($"  saved the whole pipeline ({new FileInfo(zip).Length / 1e6:F1} MB) and loaded it in a fresh MLContext.");
    loaded = serving.Model.Load(zip, out _);
}
finally
{
    File.Delete(zip);
}

// 6. Evaluate (the loaded model) ---------------------------------------------------------------------------------------
results.Add("Generative (text IDs)", serving.GenerativeRecommendation().Evaluate(loaded.Transform(serving.Data.LoadFromEnumerable(split.TestRows)), ks: ks));
Console.WriteLine($"\nTest metrics ({split.TestRows.Length:N0} users, ranking all {movies.ItemCount:N0} movies, seen movies left out):");
results.Print();

// 7. Show one user ------------------------------------------------------------------------------------------------------
MovieRow target = split.TestRows[0];
var text = movies.ItemIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => movies.ItemText![p.i] ?? p.id, StringComparer.Ordinal);
Console.WriteLine($"\nUser {target.User} watched last:");
foreach (MovieRow row in split.TrainRows.Where(r => r.User == target.User).TakeLast(5))
{
    Console.WriteLine($"  {text[row.Item]}");
}

Console.WriteLine($"... and next (held out): {text[target.Item]}");
ShowTop("The generative model (loaded zip) recommends:", serving.Model.CreatePredictionEngine<MovieRow, MovieRecommendation>(loaded).Predict(target), target.Item, text);
ShowTop("SASRec recommends:", ml.Model.CreatePredictionEngine<MovieRow, MovieRecommendation>(sasRec).Predict(target), target.Item, text);

Console.WriteLine($"\nDone in {clock.Elapsed.TotalMinutes:F1} min.");
return 0;

static void ShowTop(string heading, MovieRecommendation top, string heldOut, IReadOnlyDictionary<string, string> text)
{
    Console.WriteLine(heading);
    for (int rank = 0; rank < top.RecommendedItemIds.Length; rank++)
    {
        string item = top.RecommendedItemIds[rank];
        Console.WriteLine($"  {rank + 1,2}. {text[item]}{(item == heldOut ? "   <- the held-out movie" : "")}");
    }
}
