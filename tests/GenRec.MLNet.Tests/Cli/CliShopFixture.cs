using System.Globalization;
using System.Text;
using GenRec.MLNet.Data;
using GenRec.MLNet.Synthetic;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>
/// A tiny generated shop written as interactions.csv and items.csv, and one model trained on it by
/// <c>genrec train</c> (once per test class): the inputs and the zip every CLI test reads.
/// </summary>
public sealed class CliShopFixture : IDisposable
{
    public CliShopFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "genrec-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 60, ItemCount = 40, MinSequenceLength = 4, MaxSequenceLength = 10, Seed = 7 });
        Interactions = Path.Combine(Folder, "interactions.csv");
        Items = Path.Combine(Folder, "items.csv");
        WriteCsv(Catalog.Dataset, Interactions, Items);
        Model = Path.Combine(Folder, "model.zip");
        Plots = Path.Combine(Folder, "train-plots");
        Train = CliRun.Invoke("train", "--interactions", Interactions, "--items", Items, "--out", Model, "--minutes", "0.2", "--plots", Plots);
    }

    public string Folder { get; }

    public SyntheticCatalog Catalog { get; }

    public string Interactions { get; }

    public string Items { get; }

    public string Model { get; }

    public string Plots { get; }

    /// <summary>The training run every test builds on.</summary>
    public CliRun Train { get; }

    public static void WriteCsv(InteractionDataset data, string interactionsPath, string itemsPath)
    {
        var rows = new StringBuilder("User,Item,Timestamp\n");
        for (int i = 0; i < data.InteractionCount; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"{data.UserIds[data.UserIndices[i]]},{data.ItemIds[data.ItemIndices[i]]},{data.Timestamps![i]}\n");
        }

        File.WriteAllText(interactionsPath, rows.ToString());
        var titles = new StringBuilder("Item,Title\n");
        for (int item = 0; item < data.ItemCount; item++)
        {
            titles.Append(CultureInfo.InvariantCulture, $"{data.ItemIds[item]},\"{data.ItemText![item]}\"\n");
        }

        File.WriteAllText(itemsPath, titles.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
