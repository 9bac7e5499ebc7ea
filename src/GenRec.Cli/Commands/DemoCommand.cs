using System.CommandLine;
using System.Globalization;
using System.Text;
using GenRec.Cli.Input;
using GenRec.MLNet.Data;
using GenRec.MLNet.Synthetic;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec demo</c>: the generated shop end to end with the other commands: writes the synthetic catalog as
/// <c>interactions.csv</c> and <c>items.csv</c>, trains, evaluates, recommends for one user and writes the plots.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for the generated data, the model and the plots", DefaultValueFactory = _ => "genrec-demo" };
        var users = new Option<int>("--users") { Description = "Generated users", DefaultValueFactory = _ => 2000 };
        var items = new Option<int>("--items") { Description = "Generated items", DefaultValueFactory = _ => 1000 };
        var minutes = new Option<double?>("--minutes") { Description = "Training time budget in minutes (default: the small preset's own lengths)" };
        var command = new Command("demo", "Generate the synthetic shop and run train, evaluate, recommend and stats on it")
        {
            output, users, items, minutes,
        };
        command.SetAction((parse, cancellation) => Task.Run(
            () => Run(console, parse.GetRequiredValue(output), parse.GetValue(users), parse.GetValue(items), parse.GetValue(minutes), cancellation),
            CancellationToken.None));
        return command;
    }

    public static int Run(CliConsole console, string folder, int users, int items, double? minutes, CancellationToken cancellation)
    {
        var options = new SyntheticCatalogOptions { UserCount = users, ItemCount = items };
        int minimumItems = options.CategoryCount * options.SubcategoriesPerCategory;
        if (users < 2 || items < minimumItems)
        {
            throw new CliException($"--users must be at least 2 and --items at least {minimumItems} (one item per generated subcategory)");
        }

        Directory.CreateDirectory(folder);
        SyntheticCatalog catalog = SyntheticCatalogGenerator.Generate(options);
        string interactions = Path.Combine(folder, "interactions.csv");
        string itemsCsv = Path.Combine(folder, "items.csv");
        WriteCsv(catalog.Dataset, interactions, itemsCsv);
        console.Line($"Generated the shop: {catalog.Dataset}. Wrote {interactions} and {itemsCsv}.");

        string model = Path.Combine(folder, "model.zip");
        string plots = Path.Combine(folder, "plots");
        console.Line($"$ genrec train --interactions {interactions} --items {itemsCsv} --out {model} --plots {plots}{(minutes is { } m ? $" --minutes {m.ToString(CultureInfo.InvariantCulture)}" : "")}");
        int code = TrainCommand.Run(console, new TrainRequest { Interactions = interactions, Items = itemsCsv, Output = model, Plots = plots, Minutes = minutes }, cancellation);
        if (code != GenRecCli.SuccessExitCode)
        {
            return code;
        }

        console.Line($"$ genrec evaluate --model {model} --interactions {interactions}");
        EvaluateCommand.Run(console, model, interactions, InteractionFormat.Csv, json: false);
        string user = catalog.Dataset.UserIds[0];
        console.Line($"$ genrec recommend --model {model} --user {user}");
        RecommendCommand.Run(console, model, user, history: null, itemsPath: null, top: 10);
        console.Line($"$ genrec stats --model {model} --out {plots}");
        return StatsCommand.Run(console, model, plots);
    }

    private static void WriteCsv(InteractionDataset data, string interactionsPath, string itemsPath)
    {
        var text = new StringBuilder("User,Item,Timestamp\n");
        for (int i = 0; i < data.InteractionCount; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{data.UserIds[data.UserIndices[i]]},{data.ItemIds[data.ItemIndices[i]]},{data.Timestamps![i]}\n");
        }

        File.WriteAllText(interactionsPath, text.ToString());
        var titles = new StringBuilder("Item,Title\n");
        for (int item = 0; item < data.ItemCount; item++)
        {
            titles.Append(CultureInfo.InvariantCulture, $"{data.ItemIds[item]},\"{(data.ItemText?[item] ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        }

        File.WriteAllText(itemsPath, titles.ToString());
    }
}
