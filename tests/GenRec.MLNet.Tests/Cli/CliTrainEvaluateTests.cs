using System.Text.Json;
using FluentAssertions;
using Xunit;
using GenRec.Cli;
using GenRec.Cli.Models;
using GenRec.Cli.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Cli;

/// <summary><c>genrec train</c> and <c>genrec evaluate</c> on a tiny generated shop: exit codes, the zip, the plots, the metrics.</summary>
public sealed class CliTrainEvaluateTests : IClassFixture<CliShopFixture>
{
    private readonly CliShopFixture _shop;

    public CliTrainEvaluateTests(CliShopFixture shop) => _shop = shop;

    [Fact]
    public void Train_saves_a_zip_that_a_fresh_MLContext_loads_and_serves_with_original_item_ids()
    {
        _shop.Train.ExitCode.Should().Be(0, _shop.Train.ToString());
        _shop.Train.Output.Should().Contain("Saved").And.Contain("recommender");
        _shop.Train.Error.Should().BeEmpty();

        var ml = new MLContext(seed: 1);
        ITransformer model = ml.Model.Load(_shop.Model, out DataViewSchema input);
        input.Select(c => c.Name).Should().Contain(["User", "Item", "Timestamp", "History"]);
        var engine = ml.Model.CreatePredictionEngine<Request, Answer>(model, inputSchemaDefinition: RequestSchema());
        string user = _shop.Catalog.Dataset.UserIds[3];
        Answer answer = engine.Predict(new Request { User = user });
        answer.RecommendedItemIds.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        answer.RecommendedItemIds.Should().BeSubsetOf(_shop.Catalog.Dataset.ItemIds);
        // The checkpoints only serve a resume: a finished run removes them.
        Directory.Exists(_shop.Model + ".checkpoints").Should().BeFalse();
    }

    [Fact]
    public void Train_record_in_the_zip_holds_every_stage_curve_the_hold_out_and_the_titles()
    {
        TrainingRecord record = ModelFile.ReadRecord(_shop.Model)!;
        record.Should().NotBeNull();
        record.Stages.Select(s => s.Name).Should().Equal("collaborative", "tokenizer", "recommender");
        record.Stages.Should().OnlyContain(s => s.Epochs > 0 && (s.Loss.Count > 0 || s.Validation.Count > 0));
        record.Stages[2].Validation.Should().NotBeEmpty().And.OnlyContain(p => p.Value >= 0 && p.Value <= 1);
        record.HeldOutLastItem.Should().BeTrue();
        // Leave-one-out without validation holds out one row of every user who keeps at least one training row.
        int users = _shop.Catalog.Dataset.SequencesByUser().Count(s => s.Length >= 2);
        record.TrainingRows.Should().Be(_shop.Catalog.Dataset.InteractionCount - users);
        record.ItemTitles.Should().HaveCount(40);
        record.ItemTitles[_shop.Catalog.Dataset.ItemIds[0]].Should().Be(_shop.Catalog.Dataset.ItemText![0]);
        // The small preset's 3 x 16 codes, plus a collision level only when items share all three codes.
        record.CodebookSizes["SemanticId"].Take(3).Should().Equal(16, 16, 16);
    }

    [Fact]
    public void Train_plots_are_valid_PNGs_of_every_stage_and_the_code_distribution()
    {
        string[] expected = ["curve-1-collaborative.png", "curve-2-tokenizer.png", "curve-3-recommender.png", "codes-level1-items.png"];
        foreach (string name in expected)
        {
            PngFile.Size(Path.Combine(_shop.Plots, name)).Width.Should().BeGreaterThan(100, name);
        }

        PngFile.Size(Path.Combine(_shop.Plots, "curve-3-recommender.png")).Should().Be((900, 450));
        PngFile.Size(Path.Combine(_shop.Plots, "codes-level1-items.png")).Should().Be((1200, 500));
    }

    [Fact]
    public void Evaluate_json_reports_every_metric_at_5_10_20_with_the_invariants_of_one_held_out_item_per_user()
    {
        CliRun run = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", _shop.Interactions, "--json");
        run.ExitCode.Should().Be(0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("users").GetInt32().Should().Be(_shop.Catalog.Dataset.SequencesByUser().Count(s => s.Length >= 2));
        json.RootElement.GetProperty("unknownLabels").GetInt32().Should().BeGreaterThanOrEqualTo(0);
        JsonElement metrics = json.RootElement.GetProperty("metrics");
        double Metric(string name, int k) => metrics.GetProperty($"{name}@{k}").GetDouble();
        foreach (int k in new[] { 5, 10, 20 })
        {
            // One relevant item per user: hit rate and recall are the same number, and MRR, NDCG never exceed it.
            Metric("hr", k).Should().Be(Metric("recall", k));
            Metric("ndcg", k).Should().BeInRange(0, Metric("recall", k) + 1e-12);
            Metric("mrr", k).Should().BeInRange(0, Metric("ndcg", k) + 1e-12);
        }

        Metric("recall", 5).Should().BeLessThanOrEqualTo(Metric("recall", 10));
        Metric("recall", 10).Should().BeLessThanOrEqualTo(Metric("recall", 20));
        Metric("recall", 20).Should().BeGreaterThan(0, "a trained model finds some held-out items of a structured shop");
    }

    [Fact]
    public void Evaluate_table_equals_scoring_the_held_out_rows_through_the_library()
    {
        CliRun run = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", _shop.Interactions);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Recall").And.Contain("NDCG").And.Contain("HR").And.Contain("MRR").And.Contain("@20");

        // The same held-out rows built by hand: each user's latest interaction.
        var ml = new MLContext(seed: 0);
        ITransformer model = ml.Model.Load(_shop.Model, out _);
        var data = _shop.Catalog.Dataset;
        var last = data.SequencesByUser().Select((s, u) => (u, s)).Where(p => p.s.Length >= 2)
            .Select(p => new Request { User = data.UserIds[p.u], Item = data.ItemIds[p.s[^1]] }).ToArray();
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(last, RequestSchema()));
        double recall10 = ml.GenerativeRecommendation().Evaluate(scored, "UserId", "ItemId", "RecommendedItems", [10]).Recall(10);
        run.Output.Should().Contain($"| {recall10:F4} |".Replace('|', '│'));
    }

    [Fact]
    public void Evaluate_plot_writes_the_metrics_against_K_as_a_png_and_keeps_json_output_parseable()
    {
        string table = Path.Combine(_shop.Folder, "metrics-at-k.png");
        CliRun run = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", _shop.Interactions, "--plot", table);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("@20").And.Contain($"Wrote {table}");
        PngFile.Size(table).Should().Be((900, 450));

        string json = Path.Combine(_shop.Folder, "metrics-at-k-json.png");
        CliRun scripted = CliRun.Invoke("evaluate", "--model", _shop.Model, "--interactions", _shop.Interactions, "--json", "--plot", json);
        scripted.ExitCode.Should().Be(0, scripted.ToString());
        using JsonDocument parsed = JsonDocument.Parse(scripted.Output);
        parsed.RootElement.GetProperty("metrics").EnumerateObject().Should().HaveCount(12, "the JSON keeps the table's Ks; the extra plot Ks are only drawn");
        scripted.Error.Should().Contain($"Wrote {json}");
        PngFile.Size(json).Should().Be((900, 450));
    }

    internal static SchemaDefinition RequestSchema()
    {
        var schema = SchemaDefinition.Create(typeof(Request));
        schema[nameof(Request.History)].ColumnType = new VectorDataViewType(TextDataViewType.Instance);
        return schema;
    }

    internal sealed class Request
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        public string[] History { get; set; } = [];
    }

    internal sealed class Answer
    {
        public string[] RecommendedItemIds { get; set; } = [];

        public float[] Scores { get; set; } = [];
    }
}
