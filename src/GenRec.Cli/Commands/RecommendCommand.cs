using System.CommandLine;
using System.Globalization;
using GenRec.Cli.Input;
using GenRec.Cli.Models;
using Microsoft.ML;
using Spectre.Console;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec recommend</c>: the top-K items for a known user (from the history stored in the zip) or for a history
/// given on the command line, with item titles from an items file or from the training record.
/// </summary>
internal static class RecommendCommand
{
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var user = new Option<string?>("--user", "-u") { Description = "A user the model was trained on" };
        var history = new Option<string?>("--history") { Description = "Comma-separated item IDs, oldest first (instead of, or overriding, the user's stored history)" };
        var items = CommonOptions.Items("Item titles: CSV with Item,Title columns (e.g. MovieLens movies.csv); default: the titles saved at training");
        var top = new Option<int>("--top", "-k") { Description = "How many items to list", DefaultValueFactory = _ => 10 };
        var command = new Command("recommend", "Recommend items for a user or a history with a saved model")
        {
            model, user, history, items, top,
        };
        command.SetAction(parse => Run(
            console, parse.GetRequiredValue(model), parse.GetValue(user), parse.GetValue(history), parse.GetValue(items), parse.GetValue(top)));
        return command;
    }

    public static int Run(CliConsole console, string modelPath, string? user, string? history, string? itemsPath, int top)
    {
        if (user is null && history is null)
        {
            throw new CliException("give --user ID or --history ID,ID,...");
        }

        var ml = new MLContext(seed: 0);
        LoadedModel model = ModelFile.Load(ml, modelPath);
        int available = model.Record?.TopK ?? 10;
        if (top < 1 || top > available)
        {
            throw new CliException($"--top must be between 1 and {available} (the model keeps {available} recommendations per user)");
        }

        if (user is null && model.OutputSchema.GetColumnOrNull("UserSemanticId") is not null)
        {
            // Generative retrieval encodes the user's own codes; a user the key mapping never saw has none.
            throw new CliException("this TokenRec model needs --user (a history alone has no user codes to retrieve with); add --user ID to bring a history for a known user");
        }

        if (user is not null && !model.KeyValues("UserId").Contains(user, StringComparer.Ordinal))
        {
            throw new CliException($"unknown user '{user}': the model was trained on {model.KeyValues("UserId").Length:N0} other users");
        }

        string[] historyItems = history is null ? [] : ParseHistory(history, model);
        IReadOnlyDictionary<string, string> titles = itemsPath is not null
            ? InteractionFileReader.ReadTitles(ml, itemsPath)
            : model.Record?.ItemTitles ?? new Dictionary<string, string>();

        using var engine = ml.Model.CreatePredictionEngine<InteractionRow, RecommendationRow>(model.Transformer, inputSchemaDefinition: InteractionSchema.Create());
        RecommendationRow result = engine.Predict(new InteractionRow { User = user ?? string.Empty, History = historyItems });
        string who = user is null ? $"history {string.Join(",", historyItems)}" : historyItems.Length > 0 ? $"user {user} with history {string.Join(",", historyItems)}" : $"user {user}";
        if (result.RecommendedItemIds.Length == 0)
        {
            console.Line($"No recommendations for {who}.");
            return GenRecCli.SuccessExitCode;
        }

        var grid = new Table().AddColumns("rank", "item", "score", "title");
        for (int i = 0; i < Math.Min(top, result.RecommendedItemIds.Length); i++)
        {
            string id = result.RecommendedItemIds[i];
            grid.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                Markup.Escape(id),
                i < result.Scores.Length ? result.Scores[i].ToString("F4", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(titles.GetValueOrDefault(id) ?? string.Empty));
        }

        console.Line($"Top {Math.Min(top, result.RecommendedItemIds.Length)} for {who}:");
        console.Ansi.Write(grid);
        return GenRecCli.SuccessExitCode;
    }

    private static string[] ParseHistory(string history, LoadedModel model)
    {
        string[] ids = history.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0)
        {
            throw new CliException("--history lists no item IDs");
        }

        var known = new HashSet<string>(model.KeyValues("ItemId"), StringComparer.Ordinal);
        string? unknown = ids.FirstOrDefault(id => !known.Contains(id));
        if (unknown is not null)
        {
            throw new CliException($"unknown item '{unknown}' in --history: the model was trained on {known.Count:N0} other items");
        }

        return ids;
    }
}
