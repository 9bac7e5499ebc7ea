using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GenRec.Cli.Input;
using GenRec.Cli.Models;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using Microsoft.ML;
using Spectre.Console;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec evaluate</c>: splits the interactions leave-one-out exactly as <c>train</c> held them out, scores every
/// user's last interaction through the loaded zip, and reports Recall, NDCG, HR and MRR at 5, 10 and 20.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly int[] Ks = [5, 10, 20];

    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var interactions = CommonOptions.Interactions();
        var format = CommonOptions.Format();
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object instead of a table" };
        var command = new Command("evaluate", "Score each user's last interaction with a saved model: Recall/NDCG/HR/MRR at 5, 10, 20")
        {
            model, interactions, format, json,
        };
        command.SetAction(parse => Run(
            console,
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(interactions),
            CommonOptions.ParseFormat(parse.GetValue(format)),
            parse.GetValue(json)));
        return command;
    }

    public static int Run(CliConsole console, string modelPath, string interactionsPath, InteractionFormat? format, bool json)
    {
        var ml = new MLContext(seed: 0);
        LoadedModel model = ModelFile.Load(ml, modelPath);
        InteractionTable table = InteractionFileReader.Read(ml, interactionsPath, format, itemsPath: null);
        IDataView all = ml.Data.LoadFromEnumerable(table.Rows, InteractionSchema.Create());
        GenRecCatalog genRec = ml.GenerativeRecommendation();
        InteractionSplit split = genRec.LeaveOneOutSplit(all, "User", "Item", "Timestamp", withValidation: false);
        IDataView scored = model.Transformer.Transform(split.Test);
        RecommendationMetrics metrics = genRec.Evaluate(scored, "UserId", "ItemId", "RecommendedItems", Ks);

        if (json)
        {
            var values = new Dictionary<string, double>();
            foreach (int k in Ks)
            {
                values[$"recall@{k}"] = metrics.Recall(k);
                values[$"ndcg@{k}"] = metrics.Ndcg(k);
                values[$"hr@{k}"] = metrics.HitRate(k);
                values[$"mrr@{k}"] = metrics.Mrr(k);
            }

            console.Output.WriteLine(JsonSerializer.Serialize(new { users = metrics.UserCount, unknownLabels = metrics.UnknownLabelCount, metrics = values }));
            return GenRecCli.SuccessExitCode;
        }

        if (model.Record is { HeldOutLastItem: false })
        {
            console.Line("Warning: this model was trained with --use-all, so it saw the items scored here; the figures are optimistic.");
        }

        var grid = new Table().AddColumns("metric", "@5", "@10", "@20");
        AddRow(grid, "Recall", metrics.Recall);
        AddRow(grid, "NDCG", metrics.Ndcg);
        AddRow(grid, "HR", metrics.HitRate);
        AddRow(grid, "MRR", metrics.Mrr);
        console.Line($"Scored the last interaction of {metrics.UserCount:N0} users from {table.Source} ({metrics.UnknownLabelCount:N0} of them are items the model never trained on and count as misses).");
        console.Ansi.Write(grid);
        return GenRecCli.SuccessExitCode;
    }

    private static void AddRow(Table grid, string name, Func<int, double> metric) =>
        grid.AddRow([name, .. Ks.Select(k => metric(k).ToString("F4", CultureInfo.InvariantCulture))]);
}
