using FluentAssertions;
using Xunit;
using GenRec.Cli;

namespace GenRec.MLNet.Tests.Cli;

/// <summary>Bad input: one clear line on stderr naming what is wrong, a non-zero exit code, a stack trace only with --verbose.</summary>
public sealed class CliErrorTests : IClassFixture<CliShopFixture>
{
    private readonly CliShopFixture _shop;

    public CliErrorTests(CliShopFixture shop) => _shop = shop;

    [Fact]
    public void Missing_interactions_file_is_named()
    {
        string missing = Path.Combine(_shop.Folder, "nope.csv");
        CliRun run = CliRun.Invoke("train", "--interactions", missing, "--out", Path.Combine(_shop.Folder, "x.zip"));
        AssertOneLineError(run, GenRecCli.BadInputExitCode, missing, "not found");
    }

    [Fact]
    public void Unknown_format_lists_the_known_ones()
    {
        CliRun run = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", _shop.Interactions, "--format", "parquet");
        AssertOneLineError(run, GenRecCli.BadInputExitCode, "parquet", "movielens");
    }

    [Fact]
    public void A_csv_without_a_user_column_names_the_columns_it_found()
    {
        string bad = Path.Combine(_shop.Folder, "bad-columns.csv");
        File.WriteAllText(bad, "Customer,Product\nu1,i1\n");
        CliRun run = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", bad);
        AssertOneLineError(run, GenRecCli.BadInputExitCode, "no user column", "Customer, Product");
    }

    [Fact]
    public void A_non_numeric_timestamp_names_the_line()
    {
        string bad = Path.Combine(_shop.Folder, "bad-time.csv");
        File.WriteAllText(bad, "User,Item,Timestamp\nu1,i1,1\nu1,i2,yesterday\n");
        CliRun run = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", bad);
        AssertOneLineError(run, GenRecCli.BadInputExitCode, "line 3", "timestamp");
    }

    [Fact]
    public void Unknown_user_and_unknown_history_item_are_named()
    {
        AssertOneLineError(CliRun.Invoke("recommend", "--model", _shop.Model, "--user", "nobody"), GenRecCli.BadInputExitCode, "unknown user 'nobody'");
        AssertOneLineError(CliRun.Invoke("recommend", "--model", _shop.Model, "--history", $"{_shop.Catalog.Dataset.ItemIds[0]},ghost"), GenRecCli.BadInputExitCode, "unknown item 'ghost'");
        AssertOneLineError(CliRun.Invoke("recommend", "--model", _shop.Model), GenRecCli.BadInputExitCode, "--user");
        AssertOneLineError(CliRun.Invoke("recommend", "--model", _shop.Model, "--user", _shop.Catalog.Dataset.UserIds[0], "--top", "50"), GenRecCli.BadInputExitCode, "--top");
    }

    [Fact]
    public void Missing_model_and_a_file_that_is_not_a_model_are_named()
    {
        string missing = Path.Combine(_shop.Folder, "missing.zip");
        AssertOneLineError(CliRun.Invoke("stats", "--model", missing, "--out", _shop.Folder), GenRecCli.BadInputExitCode, missing);
        AssertOneLineError(CliRun.Invoke("stats", "--model", _shop.Interactions, "--out", _shop.Folder), GenRecCli.BadInputExitCode, "not an ML.NET model zip");
    }

    [Fact]
    public void Demo_sizes_below_the_generators_minimum_are_refused_before_anything_is_written()
    {
        string folder = Path.Combine(_shop.Folder, "tiny-demo");
        AssertOneLineError(CliRun.Invoke("demo", "--out", folder, "--items", "5"), GenRecCli.BadInputExitCode, "--items at least 32");
        Directory.Exists(folder).Should().BeFalse();
    }

    [Fact]
    public void Train_settings_out_of_range_are_refused_before_reading_data()
    {
        string model = Path.Combine(_shop.Folder, "never.zip");
        AssertOneLineError(CliRun.Invoke("train", "--interactions", _shop.Interactions, "--out", model, "--minutes", "-1"), GenRecCli.BadInputExitCode, "--minutes");
        AssertOneLineError(CliRun.Invoke("train", "--interactions", _shop.Interactions, "--out", model, "--beam-size", "0"), GenRecCli.BadInputExitCode, "--beam-size");
        AssertOneLineError(CliRun.Invoke("train", "--interactions", _shop.Interactions, "--out", model, "--preset", "bert4rec"), GenRecCli.BadInputExitCode, "bert4rec", "tokenrec");
        File.Exists(model).Should().BeFalse();
    }

    [Fact]
    public void Evaluate_plot_into_a_missing_folder_or_not_a_png_is_refused_before_the_model_is_read()
    {
        string missingFolder = Path.Combine(_shop.Folder, "no-such-folder", "metrics.png");
        AssertOneLineError(
            CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", _shop.Interactions, "--plot", missingFolder),
            GenRecCli.BadInputExitCode, missingFolder, "does not exist");
        File.Exists(missingFolder).Should().BeFalse();

        // A model path that does not exist either: the error is still about --plot, so the plot path is checked first.
        string jpeg = Path.Combine(_shop.Folder, "metrics.jpg");
        AssertOneLineError(
            CliRun.Invoke("evaluate", "--model", Path.Combine(_shop.Folder, "absent.zip"), "--interactions", _shop.Interactions, "--plot", jpeg),
            GenRecCli.BadInputExitCode, jpeg, "must end in .png");
        File.Exists(jpeg).Should().BeFalse();
    }

    [Fact]
    public void Missing_required_option_is_a_usage_error()
    {
        CliRun run = CliRun.Invoke("train", "--interactions", _shop.Interactions);
        AssertOneLineError(run, GenRecCli.BadInputExitCode, "--out");
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        CliRun run = CliRun.Invoke("recommend", "--model", _shop.Model, "--user", "nobody", "--verbose");
        run.ExitCode.Should().Be(GenRecCli.BadInputExitCode);
        run.Error.Should().Contain("unknown user 'nobody'").And.Contain("   at GenRec.Cli.");
    }

    private static void AssertOneLineError(CliRun run, int code, params string[] fragments)
    {
        run.ExitCode.Should().Be(code, run.ToString());
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(run.ToString());
        lines[0].Should().StartWith("error: ");
        foreach (string fragment in fragments)
        {
            lines[0].Should().Contain(fragment);
        }

        run.Error.Should().NotContain("   at ");
    }
}
