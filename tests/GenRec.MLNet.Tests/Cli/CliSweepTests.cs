using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;
using GenRec.Cli;
using GenRec.Cli.Models;
using GenRec.Cli.Training;
using GenRec.MLNet.Synthetic;

namespace GenRec.MLNet.Tests.Cli;

/// <summary><c>genrec sweep</c> on a tiny generated shop: trials shown, the table and best options printed, the best options' zip saved.</summary>
public sealed class CliSweepTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "genrec-sweep-" + Guid.NewGuid().ToString("N"));
    private readonly SyntheticCatalog _catalog;
    private readonly string _interactions;

    public CliSweepTests()
    {
        Directory.CreateDirectory(_folder);
        _catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 60, ItemCount = 40, MinSequenceLength = 4, MaxSequenceLength = 10, Seed = 11 });
        _interactions = Path.Combine(_folder, "interactions.csv");
        CliShopFixture.WriteCsv(_catalog.Dataset, _interactions, Path.Combine(_folder, "items.csv"));
    }

    [Fact]
    public void Sweep_shows_each_trial_and_saves_the_best_options_model_that_evaluate_reads()
    {
        string model = Path.Combine(_folder, "best.zip");
        CliRun run = CliRun.Invoke("sweep", "--interactions", _interactions, "--out", model, "--max-trials", "2", "--tuner", "random", "--seed", "3");

        run.ExitCode.Should().Be(GenRecCli.SuccessExitCode, run.ToString());
        run.Error.Should().BeEmpty();
        // Trial 0 is the small preset's own values (the starting point the sweep should beat), trial 1 a random draw;
        // random search trains every trial at the largest budget, 15 epochs. One line per trial, however long.
        run.Output.Should().Contain("  trial 0 (config 0, rung 0, budget 15): Completed, Recall@10 ")
            .And.MatchRegex(@"trial 0 [^\n]*; Collaborative.Dimension=32, Tokenizer.RqVae.CodebookSize=16, Recommender.LearningRate=0.003, Recommender.DecoderLayers=2");
        run.Output.Should().Contain("  trial 1 (config 1, rung 0, budget 15): ");
        run.Output.Should().Contain("2 trials in").And.Contain("stopped by MaxTrials").And.Contain("recall@10").And.Contain("LearningRate");
        run.Output.Should().Contain("Best: trial").And.Contain("Saved");

        // The saved zip is the best options trained again: its codebooks are the ones the best-options lines name.
        int codebook = int.Parse(Regex.Match(run.Output, @"Tokenizer\.RqVae\.CodebookSize = (\d+)").Groups[1].Value);
        TrainingRecord record = ModelFile.ReadRecord(model)!;
        record.CodebookSizes["SemanticId"][0].Should().Be(codebook);
        record.Stages.Select(s => s.Name).Should().Equal("collaborative", "tokenizer", "recommender");
        run.Output.Should().Contain("Recommender.NumberOfEpochs = 15");
        record.Stages[2].Epochs.Should().BeInRange(1, 15, "the refit keeps the best trial's 15 epochs (early stopping may end it sooner)");
        // Trained like 'genrec train': only each user's last interaction held out, so evaluate on the same file is fair.
        record.HeldOutLastItem.Should().BeTrue();
        record.TrainingRows.Should().Be(_catalog.Dataset.InteractionCount - _catalog.Dataset.SequencesByUser().Count(s => s.Length >= 2));
        Directory.Exists(model + ".checkpoints").Should().BeFalse();

        CliRun evaluate = CliRun.Invoke("evaluate", "--model", model, "--interactions", _interactions, "--json");
        evaluate.ExitCode.Should().Be(0, evaluate.ToString());
        using JsonDocument json = JsonDocument.Parse(evaluate.Output);
        json.RootElement.GetProperty("metrics").GetProperty("recall@10").GetDouble().Should().BeInRange(0, 1);
    }

    [Fact]
    public void Ctrl_C_after_the_first_trial_prints_it_saves_nothing_and_exits_130()
    {
        string model = Path.Combine(_folder, "cancelled.zip");
        using var ctrlC = new CancellationTokenSource();

        CliRun run = CliRun.Invoke(ctrlC.Token, text =>
        {
            if (text.Contains("trial 0 (", StringComparison.Ordinal))
            {
                ctrlC.Cancel();
            }
        }, "sweep", "--interactions", _interactions, "--out", model, "--max-trials", "3", "--tuner", "random");

        run.ExitCode.Should().Be(GenRecCli.CancelledExitCode, run.ToString());
        run.Output.Should().Contain("trial 0 (config 0").And.Contain("stopped by Cancelled").And.NotContain("trial 2 (");
        run.Error.Should().Contain("nothing was saved");
        File.Exists(model).Should().BeFalse();
    }

    [Theory]
    [InlineData(new[] { "--out", "x.zip" }, "--minutes N, --max-trials N, or both")]
    [InlineData(new[] { "--out", "x.zip", "--max-trials", "0" }, "--max-trials must be at least 1, not 0")]
    [InlineData(new[] { "--out", "x.zip", "--minutes", "-1" }, "--minutes must be a positive number")]
    [InlineData(new[] { "--out", "x.zip", "--max-trials", "2", "--tuner", "grid" }, "grid")]
    [InlineData(new[] { "--max-trials", "2" }, "--out")]
    public void Bad_limits_and_options_are_one_line_errors(string[] options, string expected)
    {
        CliRun run = CliRun.Invoke(["sweep", "--interactions", _interactions, .. options]);

        run.ExitCode.Should().Be(GenRecCli.BadInputExitCode, run.ToString());
        run.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain(expected);
        run.Output.Should().BeEmpty("nothing is read or trained before the limits are checked");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
