extern alias ServeModelApp;

using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using ServeModelApp::GenRec.Samples.ServeModel;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// Trains a tiny model of QuickStart's shape (user/item/history key mappings → MF → RQ-VAE → generative with a
/// prediction-history column → MapKeyToValue) on the generative tests' catalog (300 users, 100 items), saves it with a
/// titles file, and starts samples/ServeModel in-process on that zip.
/// </summary>
public sealed class ServedModelFixture : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"genrec-serve-{Guid.NewGuid():N}");

    public ServedModelFixture()
    {
        Directory.CreateDirectory(_folder);
        ModelPath = Path.Combine(_folder, "model.zip");
        TitlesPath = Path.Combine(_folder, "items.tsv");

        var ml = new MLContext(seed: 3);
        IDataView rows = ml.Data.LoadFromEnumerable(Rows());
        ml.Model.Save(Pipeline(ml).Fit(rows), rows.Schema, ModelPath);
        File.WriteAllLines(TitlesPath, Data.ItemIds.Select((id, i) => $"{id}\t{Titles[i]}").Prepend("Item\tTitle"));

        // What the app must answer: the same zip, loaded and asked directly.
        var reference = new MLContext(seed: 1);
        Direct = reference.Model.CreatePredictionEngine<ServeInput, ServeOutput>(reference.Model.Load(ModelPath, out _));
        Factory = Serve(ModelPath, TitlesPath);
    }

    public static InteractionDataset Data => GenerativeTestData.Catalog.Dataset;

    public static IReadOnlyList<string> Titles => GenerativeTestData.Catalog.ItemTitles;

    public string ModelPath { get; }

    public string TitlesPath { get; }

    /// <summary>The app, started on the saved zip.</summary>
    public WebApplicationFactory<ServeModelApp::Program> Factory { get; }

    /// <summary>A prediction engine on the same zip outside the app: the expected answers.</summary>
    public PredictionEngine<ServeInput, ServeOutput> Direct { get; }

    /// <summary>Each user's items in time order, as the model stored them.</summary>
    public static string[] HistoryOf(int user) => [.. Data.SequencesByUser()[user].Select(item => Data.ItemIds[item])];

    /// <summary>The app configured as on the command line (<c>--GenRec:ModelPath=...</c>).</summary>
    public static WebApplicationFactory<ServeModelApp::Program> Serve(string? modelPath, string? titlesPath) =>
        new WebApplicationFactory<ServeModelApp::Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("GenRec:ModelPath", modelPath ?? "");
            host.UseSetting("GenRec:ItemTitlesPath", titlesPath ?? "");
        });

    public void Dispose()
    {
        Factory.Dispose();
        Direct.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static ServeInput[] Rows() =>
    [
        .. Enumerable.Range(0, Data.InteractionCount).Select(i => new ServeInput
        {
            User = Data.UserIds[Data.UserIndices[i]],
            Item = Data.ItemIds[Data.ItemIndices[i]],
            Timestamp = Data.Timestamps?[i] ?? i,
        }),
    ];

    private static IEstimator<ITransformer> Pipeline(MLContext ml)
    {
        // Both item mappings read one key list, so a history's keys are the ItemId keys (checked by value).
        IDataView items = ml.Data.LoadFromEnumerable(Data.ItemIds.Select(id => new ItemIdRow { Item = id }));
        GenerativeRecommenderOptions generative = GenerativeTestData.Tiny(GenerativeArchitecture.DecoderOnly, epochs: 3);
        generative.TimestampColumnName = nameof(ServeInput.Timestamp);
        generative.PredictionHistoryColumnName = "PredictionHistory";
        RqVaeOptions rqVae = Tokenization.RqVae.RqVaeTestData.SmallOptions(epochs: 5);
        rqVae.CollisionHandling = CollisionHandling.ExtraLevel;
        var genRec = ml.GenerativeRecommendation();
        return ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ServeInput.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ServeInput.Item), keyData: items))
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictionHistory", nameof(ServeInput.History), keyData: items))
            .Append(genRec.CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Dimension = 16, NumberOfEpochs = 3, TimestampColumnName = nameof(ServeInput.Timestamp), Device = TorchDeviceKind.Cpu, Seed = 5, LogEveryNSteps = 10_000,
            }))
            .Append(genRec.SemanticIdTokenizer(new SemanticIdTokenizerOptions { ContentColumnName = "ItemEmbedding", RqVae = rqVae }))
            .Append(genRec.GenerativeRecommender(generative))
            .Append(ml.Transforms.Conversion.MapKeyToValue("RecommendedItemIds", "RecommendedItems"));
    }

    private sealed class ItemIdRow
    {
        public string Item { get; set; } = "";
    }
}
