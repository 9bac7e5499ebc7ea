using System.CommandLine;
using System.Globalization;
using GenRec.Cli.Input;
using GenRec.Cli.Sweeping;
using GenRec.Cli.Training;
using GenRec.MLNet;
using GenRec.MLNet.Data;
using GenRec.MLNet.Sweeping;
using Microsoft.ML;

namespace GenRec.Cli.Commands;

/// <summary>
/// <c>genrec sweep</c>: searches the small preset's options with the library's sweep (docs/sweep.md). Trials train on
/// every user's history but the last two interactions and are scored on the second-to-last; the best options are then
/// trained again the way <c>genrec train</c> does (holding out only the last interaction) and saved, so
/// <c>genrec evaluate</c> on the same file scores items neither the sweep nor the model saw.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(CliConsole console)
    {
        var interactions = CommonOptions.Interactions();
        var items = CommonOptions.Items("Item titles: CSV with Item,Title columns (MovieLens movies.csv, Amazon .item.json or RecBole .item for those formats)");
        var format = CommonOptions.Format();
        var output = new Option<string>("--out", "-o") { Description = "Zip for the best options' model, trained again on train + validation", Required = true };
        var minutes = new Option<double?>("--minutes") { Description = "Time budget of the sweep in minutes; the final training of the best options gets at most as long again. Give this, --max-trials or both" };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Most trials (fits) to run; give this, --minutes or both" };
        var tuner = new Option<string>("--tuner")
        {
            Description = "halving: successive halving over the recommender's epochs (5, then the best third at 15); random: every trial at 15 epochs",
            DefaultValueFactory = _ => "halving",
        }.AcceptOnlyFromAmong("halving", "random");
        var seed = new Option<int>("--seed") { Description = "Seed of the draws and of every trial", DefaultValueFactory = _ => 0 };

        var command = new Command("sweep", "Search the small preset's options on an interactions file, show every trial, and save the best options' model")
        {
            interactions, items, format, output, minutes, maxTrials, tuner, seed,
        };
        command.SetAction((parse, cancellation) => Task.Run(() =>
        {
            var request = new SweepRequest
            {
                Interactions = parse.GetRequiredValue(interactions),
                Items = parse.GetValue(items),
                Format = CommonOptions.ParseFormat(parse.GetValue(format)),
                Output = parse.GetRequiredValue(output),
                Minutes = parse.GetValue(minutes),
                MaxTrials = parse.GetValue(maxTrials),
                Tuner = parse.GetRequiredValue(tuner) == "random" ? SweepTuner.RandomSearch : SweepTuner.SuccessiveHalving,
                Seed = parse.GetValue(seed),
                Verbose = parse.GetValue(GenRecCli.Verbose),
            };
            return Run(console, request, cancellation);
        }, CancellationToken.None));
        return command;
    }

    public static int Run(CliConsole console, SweepRequest request, CancellationToken cancellation)
    {
        TimeSpan? budget = CheckLimits(request);
        var ml = new MLContext(request.Seed);
        if (request.Verbose)
        {
            ml.Log += (_, e) => console.Error.WriteLine($"[{e.Source}] {e.RawMessage}");
        }

        InteractionTable table = InteractionFileReader.Read(ml, request.Interactions, request.Format, request.Items);
        console.Line($"Read {table.Rows.Count:N0} interactions of {table.CountUsers():N0} users and {table.CountItems():N0} items from {table.Source}.");

        var schema = InteractionSchema.Create();
        InteractionSplit split = ml.GenerativeRecommendation().LeaveOneOutSplit(ml.Data.LoadFromEnumerable(table.Rows, schema), "User", "Item", "Timestamp", withValidation: true);
        List<InteractionRow> train = Rows(ml, split.Train, schema), validation = Rows(ml, split.Validation, schema);
        if (validation.Count == 0)
        {
            throw new CliException($"{table.Source}: no user has three interactions, so there is nothing to validate a trial on");
        }

        console.Line($"Trials train on {train.Count:N0} rows and are scored on each user's second-to-last interaction ({validation.Count:N0} rows); the last ones stay unseen for 'genrec evaluate'.");
        // Items seen only in validation are unknown to a trial's model, as unseen items are to 'genrec evaluate'.
        IDataView itemKeys = ml.Data.LoadFromEnumerable(train.Select(r => r.Item).Distinct(StringComparer.Ordinal).Select(id => new ItemKeyRow { Item = id }).ToArray());
        SearchSpace<GenerativePipelineOptions> space = SmallPresetSearchSpace.Create(topK: 20);
        console.Line($"Search space (everything else as in the small preset):{Environment.NewLine}  {space.ToString().Replace(Environment.NewLine, Environment.NewLine + "  ", StringComparison.Ordinal)}");

        SweepExperiment<GenerativePipelineOptions> experiment = ml.GenerativeRecommendation()
            .Sweep(space, (context, options) => PipelineBuilder.BuildTrial(context, itemKeys, options))
            .SetDataset(ml.Data.LoadFromEnumerable(train, schema), ml.Data.LoadFromEnumerable(validation, schema))
            .SetTuner(request.Tuner, SmallPresetSearchSpace.ReductionFactor)
            .SetSeed(request.Seed);
        if (budget is { } time)
        {
            experiment.SetTrainingTimeInSeconds((uint)Math.Max(1, Math.Round(time.TotalSeconds)));
        }

        if (request.MaxTrials is { } trials)
        {
            experiment.SetMaxTrials(trials);
        }

        var display = new SweepDisplay(console, request.MaxTrials, budget);
        console.Line($"Sweeping ({Limits(request)}, {(request.Tuner == SweepTuner.RandomSearch ? "random search" : "successive halving")}):");
        SweepResult<GenerativePipelineOptions> result;
        try
        {
            result = display.Run(() => experiment.Run(display, cancellation));
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("Sweep stopped before any trial finished; nothing was saved.");
            return GenRecCli.CancelledExitCode;
        }

        // The best trial's own model saw less data than the final one will; only its options are kept.
        FittedStages.Dispose(result.BestModel);
        display.PrintResult(result, space.BudgetName);
        if (result.StopReason == SweepStopReason.Cancelled)
        {
            console.Error.WriteLine("Sweep stopped: the trials above are all it ran; the best options were not trained again and nothing was saved.");
            return GenRecCli.CancelledExitCode;
        }

        console.Line($"Training the best options on train + validation, as 'genrec train' does, into {request.Output}:");
        return TrainCommand.Run(console, new TrainRequest
        {
            Interactions = request.Interactions,
            Items = request.Items,
            Format = request.Format,
            Output = request.Output,
            Seed = request.Seed,
            Verbose = request.Verbose,
            // The trials ran without the preset's 60 s cap; the final training gets the sweep's budget once more at most.
            Minutes = request.Minutes,
            Options = result.BestTrial.Options,
        }, cancellation);
    }

    private static TimeSpan? CheckLimits(SweepRequest request)
    {
        if (request.Minutes is null && request.MaxTrials is null)
        {
            throw new CliException("give the sweep a limit: --minutes N, --max-trials N, or both");
        }

        if (request.Minutes is { } m && (!double.IsFinite(m) || m <= 0))
        {
            throw new CliException($"--minutes must be a positive number of minutes, not {m.ToString(CultureInfo.InvariantCulture)}");
        }

        if (request.MaxTrials is < 1)
        {
            throw new CliException($"--max-trials must be at least 1, not {request.MaxTrials}");
        }

        return request.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null;
    }

    private static string Limits(SweepRequest request) => string.Join(" or ", new[]
    {
        request.MaxTrials is { } n ? $"at most {n} trials" : null,
        request.Minutes is { } m ? $"{m.ToString(CultureInfo.InvariantCulture)} min" : null,
    }.Where(s => s is not null));

    private static List<InteractionRow> Rows(MLContext ml, IDataView view, Microsoft.ML.Data.SchemaDefinition schema) =>
        ml.Data.CreateEnumerable<InteractionRow>(view, reuseRowObject: false, schemaDefinition: schema).ToList();
}
