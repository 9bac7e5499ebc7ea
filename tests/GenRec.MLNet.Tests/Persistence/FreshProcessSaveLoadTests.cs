using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Tests.Generative;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Persistence;

/// <summary>
/// A saved generative recommender gives identical recommendations in another OS process (tests/GenRec.ModelProbe),
/// which has none of this process's state: no model cache, no registered contracts, no loaded weights.
/// </summary>
public sealed class FreshProcessSaveLoadTests
{
    private static readonly InteractionDataset Dataset = GenerativeTestData.Catalog.Dataset;

    [Fact]
    public void GenerativeRecommenderGivesIdenticalRecommendationsInAFreshProcess()
    {
        var ml = new MLContext(seed: 1);
        var histories = Dataset.SequencesByUser().Take(25).Select(s => new HistoryRow { Items = s[..^1].Select(i => Dataset.ItemIds[i]).ToArray() })
            .Append(new HistoryRow { Items = new[] { "never-seen", Dataset.ItemIds[3] } })
            .Append(new HistoryRow { Items = Array.Empty<string>() })
            .ToList();
        IDataView train = ml.Data.LoadFromEnumerable(Dataset.SequencesByUser().Select(s => new HistoryRow { Items = s.Select(i => Dataset.ItemIds[i]).ToArray() }));
        IDataView itemIds = ml.Data.LoadFromEnumerable(Dataset.ItemIds.Select(id => new IdRow { Id = id }));
        var model = ml.Transforms.Conversion.MapValueToKey("History", nameof(HistoryRow.Items), keyData: itemIds)
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, GenerativeTestData.Tiny(epochs: 2)))
            .Fit(train);
        var engine = ml.Model.CreatePredictionEngine<HistoryRow, RecommendationRow>(model);
        List<string> expected = histories.Select(h => Format(engine.Predict(h))).ToList();

        string folder = Path.Combine(Path.GetTempPath(), $"genrec-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string modelPath = Path.Combine(folder, "model.zip");
            string inputPath = Path.Combine(folder, "histories.txt");
            string outputPath = Path.Combine(folder, "recommendations.txt");
            ml.Model.Save(model, train.Schema, modelPath);
            File.WriteAllLines(inputPath, histories.Select(h => string.Join(' ', h.Items)));

            RunProbe("recommend", modelPath, inputPath, outputPath);

            File.ReadAllLines(outputPath).Should().Equal(expected);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Format(RecommendationRow row) =>
        string.Join(' ', row.RecommendedItems) + "\t" + string.Join(' ', row.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));

    internal static void RunProbe(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(ProbePath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The probe process did not finish in 3 minutes.");
        }

        process.ExitCode.Should().Be(0, $"the probe must load the model; stdout: {output.Result} stderr: {errors.Result}");
    }

    /// <summary>
    /// The probe is built next to this assembly's project (a build-only project reference): same layout, its own name —
    /// tests/GenRec.ModelProbe/bin/&lt;config&gt;/&lt;tfm&gt;, or artifacts/bin/GenRec.ModelProbe/&lt;config&gt; with --artifacts-path.
    /// </summary>
    private static string ProbePath()
    {
        string here = Path.GetDirectoryName(typeof(FreshProcessSaveLoadTests).Assembly.Location)!;
        string probe = Path.Combine(here.Replace("GenRec.MLNet.Tests", "GenRec.ModelProbe", StringComparison.Ordinal), "GenRec.ModelProbe.dll");
        File.Exists(probe).Should().BeTrue($"the probe is built with the tests (looked for {probe})");
        return probe;
    }

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }
}
