using FluentAssertions;
using Xunit;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Cli;

/// <summary><c>genrec recommend</c> and <c>genrec stats</c> against the same zip read through ML.NET directly.</summary>
public sealed class CliRecommendStatsTests : IClassFixture<CliShopFixture>
{
    private readonly CliShopFixture _shop;

    public CliRecommendStatsTests(CliShopFixture shop) => _shop = shop;

    [Fact]
    public void Recommend_for_a_user_lists_the_prediction_engines_items_in_order_with_their_titles()
    {
        _shop.Train.ExitCode.Should().Be(0, _shop.Train.ToString());
        string user = _shop.Catalog.Dataset.UserIds[5];
        CliRun run = CliRun.Invoke("recommend", "--model", _shop.Model, "--user", user, "--top", "3");
        run.ExitCode.Should().Be(0, run.ToString());

        string[] expected = Predict(new CliTrainEvaluateTests.Request { User = user }).Take(3).ToArray();
        expected.Should().NotBeEmpty();
        run.Output.Should().Contain($"for user {user}");
        AssertListed(run.Output, expected);
    }

    [Fact]
    public void Recommend_for_a_history_passes_that_history_to_the_model()
    {
        var data = _shop.Catalog.Dataset;
        string[] history = [data.ItemIds[1], data.ItemIds[2], data.ItemIds[3]];
        CliRun run = CliRun.Invoke("recommend", "--model", _shop.Model, "--history", string.Join(",", history), "--top", "5");
        run.ExitCode.Should().Be(0, run.ToString());
        string[] withHistory = Predict(new CliTrainEvaluateTests.Request { History = history }).Take(5).ToArray();
        string[] prior = Predict(new CliTrainEvaluateTests.Request()).Take(5).ToArray();
        // Control: without the history the model answers with its prior; the CLI must not be showing that list.
        withHistory.Should().NotEqual(prior);
        AssertListed(run.Output, withHistory);
    }

    [Fact]
    public void Recommend_shows_titles_from_an_items_file_over_the_saved_ones()
    {
        string user = _shop.Catalog.Dataset.UserIds[0];
        string first = Predict(new CliTrainEvaluateTests.Request { User = user })[0];
        string renamed = Path.Combine(_shop.Folder, "renamed-items.csv");
        File.WriteAllText(renamed, $"Item,Title\n{first},\"Renamed, with a comma\"\n");
        CliRun run = CliRun.Invoke("recommend", "--model", _shop.Model, "--user", user, "--items", renamed, "--top", "1");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Renamed, with a comma");
    }

    [Fact]
    public void Stats_prints_per_level_code_statistics_and_writes_the_plots()
    {
        string folder = Path.Combine(_shop.Folder, "stats");
        CliRun run = CliRun.Invoke("stats", "--model", _shop.Model, "--out", folder);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Semantic IDs of 40 items");
        run.Output.Should().Contain("utilization").And.Contain("entropy (bits)");
        PngFile.Size(Path.Combine(folder, "codes-level1-items.png")).Should().Be((1200, 500));
        PngFile.Size(Path.Combine(folder, "curve-3-recommender.png")).Should().Be((900, 450));

        // The table's level-1 "used" count is the number of distinct first codes the zip gives the items.
        var ml = new MLContext(seed: 0);
        ITransformer model = ml.Model.Load(_shop.Model, out _);
        var rows = _shop.Catalog.Dataset.ItemIds.Select(id => new CliTrainEvaluateTests.Request { Item = id }).ToArray();
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows, CliTrainEvaluateTests.RequestSchema()));
        int used = scored.GetColumn<uint[]>("SemanticId").Select(c => c[0]).Distinct().Count();
        run.Output.Should().MatchRegex($@"│ 1\s+│ 16\s+│ {used}\s+│");
    }

    private string[] Predict(CliTrainEvaluateTests.Request request)
    {
        var ml = new MLContext(seed: 0);
        ITransformer model = ml.Model.Load(_shop.Model, out _);
        var engine = ml.Model.CreatePredictionEngine<CliTrainEvaluateTests.Request, CliTrainEvaluateTests.Answer>(model, inputSchemaDefinition: CliTrainEvaluateTests.RequestSchema());
        return engine.Predict(request).RecommendedItemIds;
    }

    private void AssertListed(string output, string[] items)
    {
        int previous = -1;
        foreach (string item in items)
        {
            int at = output.IndexOf($" {item} ", StringComparison.Ordinal);
            at.Should().BeGreaterThan(previous, $"{item} is listed after the items ranked above it");
            output.Should().Contain(_shop.Catalog.Dataset.ItemText![_shop.Catalog.Dataset.ItemIds.ToList().IndexOf(item)]![..20]);
            previous = at;
        }
    }
}
