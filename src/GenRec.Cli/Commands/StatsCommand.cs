using System.CommandLine;
using System.Globalization;
using GenRec.Cli.Models;
using GenRec.Cli.Plots;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using Spectre.Console;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec stats</c>: the semantic-ID statistics of a saved model (collisions, per-level utilization and entropy)
/// and its pictures: the training curves of every stage and the first-level code distribution.
/// </summary>
internal static class StatsCommand
{
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var output = new Option<string>("--out", "-o") { Description = "Folder for the PNG plots", Required = true };
        var command = new Command("stats", "Semantic-ID code statistics and PNG plots (training curves, first-level code distribution) of a saved model")
        {
            model, output,
        };
        command.SetAction(parse => Run(console, parse.GetRequiredValue(model), parse.GetRequiredValue(output)));
        return command;
    }

    public static int Run(CliConsole console, string modelPath, string outputFolder)
    {
        LoadedModel model = ModelFile.Load(new MLContext(seed: 0), modelPath);
        bool any = false;
        foreach (var (column, source, key, label) in PlotWriter.CodeColumns(model))
        {
            any = true;
            CodeStatistics statistics = CodeStatistics.Compute(model.ReadCodes(column, source, key));
            console.Line($"Semantic IDs of {statistics.ItemCount:N0} {label} ({column}): {statistics.DistinctIds:N0} distinct IDs, " +
                string.Create(CultureInfo.InvariantCulture, $"unique rate {statistics.UniqueRate:F4}, collision rate {statistics.CollisionRate:F4}, largest bucket {statistics.LargestBucket}."));
            var grid = new Table().AddColumns("level", "codebook", "used", "utilization", "most items on one code", "entropy (bits)", "perplexity", "distinct prefixes");
            foreach (LevelCodeStatistics level in statistics.PerLevel)
            {
                grid.AddRow(
                    (level.Level + 1).ToString(CultureInfo.InvariantCulture),
                    level.CodebookSize.ToString(CultureInfo.InvariantCulture),
                    level.UsedCodes.ToString(CultureInfo.InvariantCulture),
                    level.Utilization.ToString("F3", CultureInfo.InvariantCulture),
                    level.LargestCodeCount.ToString(CultureInfo.InvariantCulture),
                    level.EntropyBits.ToString("F3", CultureInfo.InvariantCulture),
                    level.Perplexity.ToString("F1", CultureInfo.InvariantCulture),
                    level.DistinctPrefixes.ToString(CultureInfo.InvariantCulture));
            }

            console.Ansi.Write(grid);
        }

        if (!any)
        {
            throw new CliException($"{modelPath}: the model has no semantic-ID column to describe");
        }

        if (model.Record is null)
        {
            console.Line("This zip has no genrec training record, so there are no training curves to plot (only the code distribution).");
        }

        foreach (string png in PlotWriter.WriteAll(model, outputFolder))
        {
            console.Line($"Wrote {png}");
        }

        return GenRecCli.SuccessExitCode;
    }
}
