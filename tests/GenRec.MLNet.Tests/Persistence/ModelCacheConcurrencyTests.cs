using System.Collections.Concurrent;
using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tests.Generative;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Persistence;

/// <summary>
/// Unloading a real TorchSharp model while engines score with it: once this gave "Tensor invalid -- empty handle" and,
/// repeated, a segmentation fault, because the cache disposed a network a prediction was using.
/// </summary>
public sealed class ModelCacheConcurrencyTests
{
    private static readonly InteractionDataset Dataset = GenerativeTestData.Catalog.Dataset;

    [Fact]
    public void ClearingTheCacheWhileEnginesPredictNeitherFailsNorChangesARecommendation()
    {
        var ml = new MLContext(seed: 1);
        HistoryRow[] histories = Dataset.SequencesByUser().Take(12).Select(s => new HistoryRow { Items = s[..^1].Select(i => Dataset.ItemIds[i]).ToArray() }).ToArray();
        IDataView data = ml.Data.LoadFromEnumerable(histories);
        IDataView itemIds = ml.Data.LoadFromEnumerable(Dataset.ItemIds.Select(id => new ItemId { Id = id }));
        var options = GenerativeTestData.Tiny(epochs: 1);
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("History", nameof(HistoryRow.Items), keyData: itemIds)
            .Append(ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, options))
            .Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-cache-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ITransformer loaded = ml.Model.Load(path, out _);
            var baseline = ml.Model.CreatePredictionEngine<HistoryRow, RecommendationRow>(loaded);
            uint[][] expected = histories.Select(h => baseline.Predict(h).RecommendedItems).ToArray();
            var errors = new ConcurrentQueue<Exception>();
            int predictions = 0;
            using var stop = new CancellationTokenSource();

            Thread[] predictors = Enumerable.Range(0, 3).Select(t => new Thread(() =>
            {
                try
                {
                    var own = new MLContext(seed: t);
                    var engine = own.Model.CreatePredictionEngine<HistoryRow, RecommendationRow>(loaded);
                    for (int i = 0; !stop.IsCancellationRequested; i++)
                    {
                        if (t == 2 && i % 4 == 0)
                        {
                            // A fresh load of the same zip rebuilds (or shares) the model while others use theirs.
                            engine = own.Model.CreatePredictionEngine<HistoryRow, RecommendationRow>(own.Model.Load(path, out _));
                        }

                        int row = (t + i) % histories.Length;
                        engine.Predict(histories[row]).RecommendedItems.Should().Equal(expected[row]);
                        Interlocked.Increment(ref predictions);
                    }
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            })).ToArray();
            foreach (Thread thread in predictors)
            {
                thread.Start();
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            while ((clock.Elapsed < TimeSpan.FromSeconds(3) || Volatile.Read(ref predictions) < 60) && clock.Elapsed < TimeSpan.FromSeconds(60) && errors.IsEmpty)
            {
                ModelBlobCache.Clear();
                Thread.Sleep(2);
            }

            stop.Cancel();
            foreach (Thread thread in predictors)
            {
                thread.Join();
            }

            errors.Should().BeEmpty();
            predictions.Should().BeGreaterThanOrEqualTo(60);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ItemId
    {
        public string Id { get; set; } = "";
    }
}
