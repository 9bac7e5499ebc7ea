using System.Globalization;
using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Pipeline;

/// <summary>
/// A saved SASRec pipeline over raw interaction rows recommends in another OS process (tests/GenRec.ModelProbe, no
/// cache, no contracts registered, no weights loaded) exactly as in the process that trained it.
/// </summary>
public sealed class SasRecFreshProcessTests
{
    [Fact]
    public void ASavedSasRecPipelineRecommendsIdenticallyInAFreshProcess()
    {
        var ml = new MLContext(seed: 2);
        IDataView rows = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows);
        var model = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Model = CollaborativeModelKind.SasRec, Loss = CollaborativeLoss.CrossEntropy, Dimension = 16, Heads = 2,
                Layers = 1, MaxHistoryLength = 10, NumberOfEpochs = 2, BatchSize = 64, LearningRate = 3e-3,
                EarlyStoppingPatience = 0, HoldOutLastItemForValidation = false, TimestampColumnName = nameof(InteractionRow.Timestamp),
                Device = TorchDeviceKind.Cpu, Seed = 4, LogEveryNSteps = 10_000,
            }))
            .Fit(rows);

        string[] users = OnePipelineFixture.Data.UserIds.Take(10).Append("never-seen-user").ToArray();
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, PipelineRecommendation>(model);
        string[] expected = users.Select(user =>
        {
            var row = new InteractionRow { User = user };
            PipelineRecommendation r = engine.Predict(row);
            return string.Join(' ', r.RecommendedItems) + "\t" + string.Join(' ', r.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))
                + "\t" + string.Join(' ', OnePipelineFixture.ItemIds(ml, model, row));
        }).ToArray();
        expected.Take(10).Should().OnlyContain(line => line.Split('\t')[0].Split(' ').Length == 10, "known users get a full top-10");

        string folder = Path.Combine(Path.GetTempPath(), $"genrec-sasrec-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string modelPath = Path.Combine(folder, "model.zip");
            string inputPath = Path.Combine(folder, "users.txt");
            string outputPath = Path.Combine(folder, "recommendations.txt");
            ml.Model.Save(model, rows.Schema, modelPath);
            File.WriteAllLines(inputPath, users);

            Persistence.FreshProcessSaveLoadTests.RunProbe("recommend-user", modelPath, inputPath, outputPath);

            File.ReadAllLines(outputPath).Should().Equal(expected);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
