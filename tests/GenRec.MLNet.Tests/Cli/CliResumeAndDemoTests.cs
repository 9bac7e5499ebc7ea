using FluentAssertions;
using Xunit;
using GenRec.Cli;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>Ctrl-C during training leaves checkpoints that the same command resumes from; the demo runs end to end.</summary>
public sealed class CliResumeAndDemoTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "genrec-cli-resume-" + Guid.NewGuid().ToString("N"));

    public CliResumeAndDemoTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void Cancelling_in_the_recommender_stage_exits_130_and_the_rerun_reuses_the_finished_stages()
    {
        string interactions = Path.Combine(_folder, "interactions.csv"), items = Path.Combine(_folder, "items.csv");
        var catalog = GenRec.MLNet.Synthetic.SyntheticCatalogGenerator.Generate(new GenRec.MLNet.Synthetic.SyntheticCatalogOptions { UserCount = 40, ItemCount = 32, MaxSequenceLength = 8, Seed = 3 });
        CliShopFixture.WriteCsv(catalog.Dataset, interactions, items);
        string model = Path.Combine(_folder, "model.zip");
        string[] args = ["train", "--interactions", interactions, "--out", model, "--minutes", "0.15"];

        // Ctrl-C as soon as the recommender reports: the collaborative and tokenizer stages have finished by then.
        using var ctrlC = new CancellationTokenSource();
        CliRun stopped = CliRun.Invoke(ctrlC.Token, text => { if (text.Contains("recommender    epoch", StringComparison.Ordinal)) { ctrlC.Cancel(); } }, args);
        stopped.ExitCode.Should().Be(GenRecCli.CancelledExitCode, stopped.ToString());
        stopped.Error.Should().Contain("run the same command again to resume");
        File.Exists(model).Should().BeFalse();
        Directory.GetDirectories(model + ".checkpoints").Select(Path.GetFileName).Should().Contain(["1-collaborative", "2-tokenizer"]);

        CliRun resumed = CliRun.Invoke(args);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        resumed.Output.Should().Contain("collaborative (MatrixFactorization, 32-d): reused from its checkpoint");
        resumed.Output.Should().Contain("tokenizer (RQ-VAE 3 x 16): reused from its checkpoint");
        resumed.Output.Should().NotContain("recommender (DecoderOnly, d 64): reused");
        File.Exists(model).Should().BeTrue();
    }

    [Fact]
    public void Demo_generates_the_shop_and_runs_every_command()
    {
        CliRun run = CliRun.Invoke("demo", "--out", _folder, "--users", "30", "--items", "32", "--minutes", "0.1");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("$ genrec train").And.Contain("$ genrec evaluate").And.Contain("$ genrec recommend").And.Contain("$ genrec stats");
        run.Output.Should().Contain("Recall").And.Contain("Semantic IDs of 32 items");
        File.ReadLines(Path.Combine(_folder, "interactions.csv")).First().Should().Be("User,Item,Timestamp");
        File.Exists(Path.Combine(_folder, "model.zip")).Should().BeTrue();
        PngFile.Size(Path.Combine(_folder, "plots", "codes-level1-items.png")).Width.Should().Be(1200);
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
