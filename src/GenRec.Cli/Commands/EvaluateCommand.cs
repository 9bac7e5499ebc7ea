using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GenRec.Cli.Input;
using GenRec.Cli.Models;
using GenRec.Cli.Plots;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using Microsoft.ML;
using Spectre.Console;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec evaluate</c>: splits the interactions leave-one-out exactly as <c>train</c> held them out, scores every
/// user's last interaction through the loaded zip, and reports Recall, NDCG, HR and MRR at 5, 10 and 20; with
/// <c>--plot</c> it also draws the metrics against K.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly int[] Ks = [5, 10, 20];

    /// <summary>
    /// Cutoffs the plot may show besides <see cref="Ks"/>. The evaluator measures any set of Ks in its one pass over
    /// the scored rows, so more points cost nothing; Ks beyond the model's list length are left out because every
    /// metric is flat there and the line would only show that the list ended.
    /// </summary>
    private static readonly int[] PlotKs = [1, 2, 3, 5, 10, 15, 20, 30, 50, 100];

    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var interactions = CommonOptions.Interactions();
        var format = CommonOptions.Format();
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object instead of a table" };
        var plot = new Option<string?>("--plot") { Description = "Also write a PNG of every metric against K to this file (.png)" };
        var command = new Command("evaluate", "Score each user's last interaction with a saved model: Recall/NDCG/HR/MRR at 5, 10, 20")
        {
            model, interactions, format, json, plot,
        };
        command.SetAction(parse => Run(
            console,
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(interactions),
            CommonOptions.ParseFormat(parse.GetValue(format)),
            parse.GetValue(json),
            parse.GetValue(plot)));
        return command;
    }

    public static int Run(CliConsole console, string modelPath, string interactionsPath, InteractionFormat? format, bool json, string? plotPath = null)
    {
        // Checked first: a typo in the plot path should not cost a full scoring run before it is reported.
        if (plotPath is not null)
        {
            RequireWritablePng(plotPath);
        }

        var ml = new MLContext(seed: 0);
        LoadedModel model = ModelFile.Load(ml, modelPath);
        InteractionTable table = InteractionFileReader.Read(ml, interactionsPath, format, itemsPath: null);
        IDataView all = ml.Data.LoadFromEnumerable(table.Rows, InteractionSchema.Create());
        GenRecCatalog genRec = ml.GenerativeRecommendation();
        InteractionSplit split = genRec.LeaveOneOutSplit(all, "User", "Item", "Timestamp", withValidation: false);
        IDataView scored = model.Transformer.Transform(split.Test);
        int[] ks = plotPath is null ? Ks : CutoffsForPlot(model);
        RecommendationMetrics metrics = genRec.Evaluate(scored, "UserId", "ItemId", "RecommendedItems", ks);
        string? wrotePlot = plotPath is null ? null : WritePlot(plotPath, modelPath, metrics);

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
            if (wrotePlot is not null)
            {
                // Standard output stays one JSON object that a script can parse.
                console.Error.WriteLine(wrotePlot);
            }

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
        if (wrotePlot is not null)
        {
            console.Line(wrotePlot);
        }

        return GenRecCli.SuccessExitCode;
    }

    private static void RequireWritablePng(string path)
    {
        if (!string.Equals(Path.GetExtension(path), ".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--plot {path}: the plot is a PNG, so the file name must end in .png");
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliException($"--plot {path}: the folder {folder} does not exist");
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"--plot {path}: this is a folder, not a file name");
        }
    }

    /// <summary>The table's Ks and every plot K up to the number of items the model recommends per user.</summary>
    private static int[] CutoffsForPlot(LoadedModel model)
    {
        int listLength = model.Record is { TopK: > 0 } record ? record.TopK : Ks[^1];
        return [.. PlotKs.Where(k => k <= listLength).Union(Ks).Order()];
    }

    /// <summary>Draws every metric at every evaluated K into <paramref name="path"/> and returns the line that says so.</summary>
    private static string WritePlot(string path, string modelPath, RecommendationMetrics metrics)
    {
        IReadOnlyList<int> ks = metrics.Ks;
        MetricCurve Curve(string name, Func<int, double> metric) => new(name, ks.Select(metric).ToArray());
        byte[] png = MetricsAtKPlot.RenderPng(
            $"{Path.GetFileName(modelPath)}: metrics against K, last interaction of {metrics.UserCount:N0} users",
            ks,
            [Curve("Recall", metrics.Recall), Curve("NDCG", metrics.Ndcg), Curve("HR", metrics.HitRate), Curve("MRR", metrics.Mrr)]);
        File.WriteAllBytes(path, png);
        return $"Wrote {path}";
    }

    private static void AddRow(Table grid, string name, Func<int, double> metric) =>
        grid.AddRow([name, .. Ks.Select(k => metric(k).ToString("F4", CultureInfo.InvariantCulture))]);
}
