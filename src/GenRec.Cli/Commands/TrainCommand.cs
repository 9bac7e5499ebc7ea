using System.CommandLine;
using System.Globalization;
using GenRec.Cli.Input;
using GenRec.Cli.Models;
using GenRec.Cli.Plots;
using GenRec.Cli.Training;
using GenRec.MLNet;
using Microsoft.ML;
using Spectre.Console;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec train</c>: reads interactions, holds out each user's last one (so <c>evaluate</c> on the same file
/// measures items the model never saw), fits the preset's pipeline with live progress, and saves one model zip.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var interactions = CommonOptions.Interactions();
        var items = CommonOptions.Items("Item titles: CSV with Item,Title columns (MovieLens movies.csv, Amazon .item.json or RecBole .item for those formats)");
        var format = CommonOptions.Format();
        var preset = new Option<string>("--preset", "-p")
        {
            Description = "Recipe: small (the README pipeline, minutes on a CPU), tiger, letter or tokenrec (the papers' settings, GPU-sized: bound them with --minutes)",
            DefaultValueFactory = _ => "small",
        }.AcceptOnlyFromAmong("small", "tiger", "letter", "tokenrec");
        var output = new Option<string>("--out", "-o") { Description = "Model zip to write", Required = true };
        var minutes = new Option<double?>("--minutes") { Description = "Training time budget over all stages, in minutes" };
        var plots = new Option<string?>("--plots") { Description = "Folder for PNG training curves and the first-level code histogram" };
        var seed = new Option<int>("--seed") { Description = "Seed of every stage", DefaultValueFactory = _ => 0 };
        var useAll = new Option<bool>("--use-all") { Description = "Train on every interaction (no held-out last item): best for serving, but 'evaluate' on the same file is then not a fair test" };
        var beam = new Option<int?>("--beam-size") { Description = "Beam width of the generative recommender (default: the preset's, 20); widen it when users with long histories get short lists" };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Checkpoint folder (default: <out>.checkpoints); rerun the same command to resume after Ctrl-C" };

        var command = new Command("train", "Train a generative recommender on an interactions file and save it as one ML.NET model zip")
        {
            interactions, items, format, preset, output, minutes, plots, seed, useAll, beam, checkpoints,
        };
        command.SetAction((parse, cancellation) => Task.Run(() =>
        {
            var request = new TrainRequest
            {
                Interactions = parse.GetRequiredValue(interactions),
                Items = parse.GetValue(items),
                Format = CommonOptions.ParseFormat(parse.GetValue(format)),
                Preset = Enum.Parse<TrainingPreset>(parse.GetRequiredValue(preset), ignoreCase: true),
                Output = parse.GetRequiredValue(output),
                Minutes = parse.GetValue(minutes),
                Plots = parse.GetValue(plots),
                Seed = parse.GetValue(seed),
                HoldOutLastItem = !parse.GetValue(useAll),
                Checkpoints = parse.GetValue(checkpoints),
                BeamSize = parse.GetValue(beam),
                Verbose = parse.GetValue(GenRecCli.Verbose),
            };
            return Run(console, request, cancellation);
        }, CancellationToken.None));
        return command;
    }

    public static int Run(CliConsole console, TrainRequest request, CancellationToken cancellation)
    {
        if (request.Minutes is { } m && (!double.IsFinite(m) || m <= 0))
        {
            throw new CliException($"--minutes must be a positive number of minutes, not {m.ToString(CultureInfo.InvariantCulture)}");
        }

        if (request.BeamSize is < 1)
        {
            throw new CliException($"--beam-size must be at least 1, not {request.BeamSize}");
        }

        var ml = new MLContext(request.Seed);
        if (request.Verbose)
        {
            ml.Log += (_, e) => console.Error.WriteLine($"[{e.Source}] {e.RawMessage}");
        }

        InteractionTable table = InteractionFileReader.Read(ml, request.Interactions, request.Format, request.Items);
        InteractionFormat format = request.Format ?? InteractionFormats.Infer(request.Interactions);
        console.Line($"Read {table.Rows.Count:N0} interactions of {table.CountUsers():N0} users and {table.CountItems():N0} items from {table.Source} ({InteractionFormats.Name(format)}{(table.HasTimestamps ? "" : ", file order as time")}).");

        var schema = InteractionSchema.Create();
        IDataView all = ml.Data.LoadFromEnumerable(table.Rows, schema);
        List<InteractionRow> rows = request.HoldOutLastItem
            ? ml.Data.CreateEnumerable<InteractionRow>(ml.GenerativeRecommendation().LeaveOneOutSplit(all, "User", "Item", "Timestamp", withValidation: false).Train, reuseRowObject: false, schemaDefinition: schema).ToList()
            : [.. table.Rows];
        if (request.HoldOutLastItem)
        {
            console.Line($"Held out each user's last interaction for 'genrec evaluate': {table.Rows.Count - rows.Count:N0} rows; training on {rows.Count:N0}.");
        }

        string checkpointRoot = Path.GetFullPath(request.Checkpoints ?? request.Output + ".checkpoints");
        var settings = new TrainingSettings
        {
            Preset = request.Preset,
            Budget = request.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            CheckpointDirectory = checkpointRoot,
            Seed = request.Seed,
            BeamSize = request.BeamSize,
            Options = request.Options,
            Cancellation = cancellation,
        };
        if (request.Preset != TrainingPreset.Small && settings.Budget is null)
        {
            console.Line($"Note: the {request.Preset} preset keeps the paper's training length (hours to days on a CPU); --minutes N bounds it.");
        }

        var display = new TrainingDisplay(console);
        var progress = new List<StageProgress>();
        var builder = new PipelineBuilder(ml, settings, (index, stage) =>
        {
            var hook = new StageProgress(display, index, stage);
            progress.Add(hook);
            return hook;
        });
        IDataView itemKeys = ml.Data.LoadFromEnumerable(rows.Select(r => r.Item).Distinct(StringComparer.Ordinal).Select(id => new ItemKeyRow { Item = id }).ToArray());
        IEstimator<ITransformer> pipeline = builder.Build(itemKeys);
        IDataView training = ml.Data.LoadFromEnumerable(rows, schema);
        console.Line($"Training the {request.Preset.ToString().ToLowerInvariant()} pipeline: {string.Join(" -> ", builder.Stages.Select(s => $"{s.Name} ({s.Description})"))}{(settings.Budget is { } b ? $", within {b.TotalMinutes:0.#} min" : "")}.");

        ITransformer model;
        try
        {
            model = display.Run(builder.Stages, () =>
            {
                ITransformer fitted = pipeline.Fit(training);
                FittedStages.Complete(fitted, progress);
                return fitted;
            });
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine($"Training stopped. Checkpoints are in {checkpointRoot}: run the same command again to resume (finished stages are reused, the interrupted one continues).");
            return GenRecCli.CancelledExitCode;
        }

        TrainingRecord record = FittedStages.Record(model, progress, table, rows, request, format);
        ModelFile.Save(ml, model, training.Schema, record, request.Output);
        FittedStages.Dispose(model);
        // The checkpoints only serve a resume; a finished model makes them stale (a rerun should train afresh).
        if (request.Checkpoints is null && Directory.Exists(checkpointRoot))
        {
            Directory.Delete(checkpointRoot, recursive: true);
        }

        PrintSummary(console, record, request.Output);
        if (request.Plots is { } folder)
        {
            LoadedModel loaded = ModelFile.Load(new MLContext(request.Seed), request.Output);
            foreach (string png in PlotWriter.WriteAll(loaded, folder))
            {
                console.Line($"Wrote {png}");
            }
        }

        return GenRecCli.SuccessExitCode;
    }

    private static void PrintSummary(CliConsole console, TrainingRecord record, string output)
    {
        var stages = new Table().AddColumns("stage", "model", "epochs", "best epoch", "best validation", "stopped by", "seconds");
        foreach (StageCurve s in record.Stages)
        {
            stages.AddRow(
                Markup.Escape(s.Name), Markup.Escape(s.Description), s.Epochs.ToString(CultureInfo.InvariantCulture), s.BestEpoch.ToString(CultureInfo.InvariantCulture),
                s.BestValidation is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-", s.Reused ? "reused checkpoint" : s.StopReason,
                s.Seconds.ToString("F0", CultureInfo.InvariantCulture));
        }

        console.Ansi.Write(stages);
        console.Line($"Saved {Path.GetFullPath(output)} ({new FileInfo(output).Length / 1e6:F1} MB): {record.Users:N0} users, {record.Items:N0} items.");
        console.Line($"Next: genrec evaluate --model {output} --interactions {record.Source}   |   genrec recommend --model {output} --user ID");
    }
}
