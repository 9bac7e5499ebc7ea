using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.RealData;

/// <summary>
/// A budgeted learning floor on real data: matrix factorization (BPR) through the public estimator on the TokenRec
/// authors' Last.fm split, a fixed number of epochs and a fixed seed, evaluated like <c>mf-lastfm</c> (ranking over
/// all items, the user's train.txt items excluded, HR@10 on test.txt).
/// </summary>
public sealed class LastFmFloorTests(ITestOutputHelper output)
{
    [Fact]
    public void MatrixFactorization_ReachesItsFloorInAFixedNumberOfEpochs()
    {
        LightGcnData lastFm = LightGcnFormatLoader.Load(SharedDatasets.File("lastfm", "train.txt"), SharedDatasets.File("lastfm", "test.txt"));
        int[][] trainSets = lastFm.Train.SequencesByUser();
        EvaluationCase[] test = [.. Enumerable.Range(0, lastFm.UserCount)
            .Where(u => lastFm.TestItems[u].Length > 0)
            .Select(u => new EvaluationCase(u, trainSets[u], lastFm.TestItems[u]))];
        var ml = new MLContext(seed: 1);
        var options = new CollaborativeEmbeddingOptions
        {
            Model = CollaborativeModelKind.MatrixFactorization,
            Loss = CollaborativeLoss.Bpr,
            Dimension = 64,
            BatchSize = 2048,
            LearningRate = 1e-2,
            L2Regularization = 1e-4,
            NumberOfEpochs = 20,
            EarlyStoppingPatience = 0,
            HoldOutLastItemForValidation = false,
            ExcludeHistoryFromRecommendations = true,
            Device = TorchDeviceKind.Cpu,
            Seed = 7,
            LogEveryNSteps = 100_000,
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using CollaborativeEmbeddingTransformer trained = ml.GenerativeRecommendation().CollaborativeEmbedding(options).Fit(lastFm.Train.ToDataView(ml));
        MetricsTable table = RecommenderEvaluator.Evaluate(trained.Model, test, [10], excludeHistory: true);
        MetricsTable popularity = RecommenderEvaluator.Evaluate(new PopularityRecommender(trainSets, lastFm.ItemCount), test, [10], excludeHistory: true);
        output.WriteLine($"MF {options.NumberOfEpochs} epochs, lr {options.LearningRate}: HR@10 {table[MetricNames.HitRate, 10]:F4}, NDCG@10 {table[MetricNames.Ndcg, 10]:F4} on {table.CaseCount} users; "
            + $"popularity HR@10 {popularity[MetricNames.HitRate, 10]:F4}; {clock.Elapsed.TotalSeconds:F0} s");

        // Measured 2026-11-30 (2-core machine, one torch thread, 37 s): HR@10 0.0752, NDCG@10 0.0410; popularity HR@10
        // 0.0440. The floor 0.065 is TokenRec's logged validation HR@10 on this split (docs/benchmarks.md, lightgcn-lastfm)
        // and leaves a 13% margin; mf-lastfm reaches 0.0844 with 114 epochs at lr 1e-3.
        table[MetricNames.HitRate, 10].Should().BeGreaterThan(0.065);
        table[MetricNames.HitRate, 10].Should().BeGreaterThan(1.5 * popularity[MetricNames.HitRate, 10]);
    }
}
