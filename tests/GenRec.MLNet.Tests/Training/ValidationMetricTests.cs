using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.Tests.Training;

public sealed class ValidationMetricTests
{
    private const int Users = 120;
    private const int Items = 40;

    /// <summary>Each user walks a short run of consecutive items (mod 40); the last one is held out for validation.</summary>
    private static (int[][] Train, EvaluationCase[] Validation) Data()
    {
        var random = new Random(3);
        var train = new int[Users][];
        var validation = new EvaluationCase[Users];
        for (int user = 0; user < Users; user++)
        {
            int start = random.Next(Items);
            int[] walk = [.. Enumerable.Range(0, 6).Select(step => (start + step) % Items)];
            train[user] = walk[..^1];
            validation[user] = new EvaluationCase(user, walk[..^1], [walk[^1]]);
        }

        return (train, validation);
    }

    private static (double Curve, CollaborativeEmbeddingModel Model, EvaluationCase[] Cases) TrainOneEpoch(RankingMetric metric, int cutoff)
    {
        var (train, validation) = Data();
        var options = new CollaborativeEmbeddingOptions
        {
            Dimension = 8,
            NumberOfEpochs = 1,
            EarlyStoppingPatience = 0,
            ValidationMetric = metric,
            ValidationCutoff = cutoff,
            Seed = 5,
        };
        CollaborativeEmbeddingModel model = CollaborativeEmbeddingTrainer.Train(new MLContext(1), new CollaborativeTrainingData(Users, Items, train, validation), options, null, out TrainingResult result);
        result.ValidationCurve.Should().ContainSingle();
        return (result.ValidationCurve[0].Metric, model, validation);
    }

    [Theory]
    [InlineData(RankingMetric.HitRate, 5, MetricNames.HitRate)]
    [InlineData(RankingMetric.Ndcg, 20, MetricNames.Ndcg)]
    [InlineData(RankingMetric.Mrr, 10, MetricNames.Mrr)]
    public void TheValidationCurveFollowsTheChosenMetricAndCutoff(RankingMetric metric, int cutoff, string name)
    {
        var (curve, model, cases) = TrainOneEpoch(metric, cutoff);
        using (model)
        {
            MetricsTable table = RecommenderEvaluator.Evaluate(model, cases, [cutoff, 10], excludeHistory: true); // as the options validate (ExcludeHistoryFromRecommendations)

            // One epoch: the kept weights are the ones validated, so the curve is the chosen metric of the returned model.
            curve.Should().BeApproximately(table.Get(name, cutoff), 1e-9);
            table.Get(name, cutoff).Should().NotBe(table.Get(MetricNames.Recall, 10), "the control: the default Recall@10 is a different number here");
        }
    }

    [Fact]
    public void AnUnknownMetricOrACutoffBelowOneIsRejectedByName()
    {
        var unknown = new CollaborativeEmbeddingOptions { ValidationMetric = (RankingMetric)9 };
        var zero = new CollaborativeEmbeddingOptions { ValidationCutoff = 0 };

        unknown.Invoking(o => o.Validate()).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(TorchTrainerOptions.ValidationMetric));
        zero.Invoking(o => o.Validate()).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(TorchTrainerOptions.ValidationCutoff));
    }
}
