using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Xunit;
using Xunit.Abstractions;
using Sample = GenRec.MLNet.Tests.Generative.Retrieval.RetrievalTestData;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>
/// <see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/>: a decoder fitted from the user's codes to the CF user
/// embeddings, frozen, plus the transformer's correction.
/// </summary>
[Collection(RetrievalSampleCollection.Name)]
public sealed class RetrievalUserCodeAnchorTests
{
    private readonly RetrievalSample _sample;
    private readonly ITestOutputHelper _output;

    public RetrievalUserCodeAnchorTests(RetrievalSample sample, ITestOutputHelper output)
    {
        _sample = sample;
        _output = output;
    }

    private static GenerativeRetrievalOptions Anchored(int epochs)
    {
        GenerativeRetrievalOptions options = Sample.Tiny(epochs);
        options.UseUserCodeAnchor = true;
        options.UserCodeAnchorEpochs = 150;
        return options;
    }

    private GenerativeRetrievalModel Train(GenerativeRetrievalOptions options, out TrainingResult result, float[]? userEmbeddings = null) =>
        GenerativeRetrievalTrainer.Train(new MLContext(seed: 1), _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension,
            userEmbeddings ?? _sample.UserEmbeddings, Sample.TrainSets, null, options, out result);

    [Fact]
    public void DecoderLearnsTheCfUserEmbeddingsAndStaysFrozenWhileTheCorrectionTrains()
    {
        int[] users = Enumerable.Range(0, Sample.UserCount).ToArray();
        int d = Sample.CfDimension;

        using GenerativeRetrievalModel model = Train(Anchored(epochs: 3), out TrainingResult result);
        float[] decoded = model.DecodeUserCodes(users)!;

        // A function of the codes can at best give every user the mean embedding of the users who share their codes
        // (the least-squares answer), so that is the known answer the decoder is compared with; the error is relative
        // to how far those means lie from their own mean.
        var groups = users.GroupBy(u => string.Join(',', _sample.UserCodes[u].ToArray())).ToArray();
        var best = new double[Sample.UserCount * d];
        foreach (var group in groups)
        {
            for (int f = 0; f < d; f++)
            {
                double mean = group.Average(u => (double)_sample.UserEmbeddings[u * d + f]);
                foreach (int u in group)
                {
                    best[u * d + f] = mean;
                }
            }
        }

        double[] center = Enumerable.Range(0, d).Select(f => users.Average(u => best[u * d + f])).ToArray();
        double error = users.Sum(u => Enumerable.Range(0, d).Sum(f => Math.Pow(decoded[u * d + f] - best[u * d + f], 2)));
        double spread = users.Sum(u => Enumerable.Range(0, d).Sum(f => Math.Pow(best[u * d + f] - center[f], 2)));
        _output.WriteLine($"{groups.Length} distinct user IDs among {users.Length} users; squared error relative to the group means' spread {error / spread:F4}");
        groups.Length.Should().BeGreaterThan(10, "otherwise the known answer is nearly a constant");
        (error / spread).Should().BeLessThan(0.05, "the decoder is fitted to the CF user embeddings");

        // The correction trained (the output is no longer the decoded vector), the decoder did not.
        float[] output = model.EncodeUsers(users.Select(u => new RecommendationRequest(u, Array.Empty<int>())).ToArray());
        output.Zip(decoded, (a, b) => Math.Abs(a - b)).Max().Should().BeGreaterThan(1e-3f, "three epochs moved the correction away from zero");
        using GenerativeRetrievalModel longer = Train(Anchored(epochs: 6), out _);
        longer.DecodeUserCodes(users).Should().Equal(decoded, "the decoder is frozen after its fit, and the fit does not depend on the retrieval epochs");
        result.EpochsCompleted.Should().Be(3);
    }

    [Fact]
    public void AnchoredModelBeatsCoOccurrenceAndKeepsTheDecodedStartWhenTrainingCannotBeatIt()
    {
        // Validation: each user's last training item held out (the test targets stay unseen).
        int[][] train = Sample.TrainSets.Select(set => set.Length > 1 ? set[..^1] : set).ToArray();
        EvaluationCase[] validation = Enumerable.Range(0, Sample.UserCount).Where(u => Sample.TrainSets[u].Length > 1)
            .Select(u => new EvaluationCase(u, train[u], new[] { Sample.TrainSets[u][^1] })).ToArray();
        GenerativeRetrievalOptions options = Anchored(epochs: 3);
        options.Loss = RetrievalLoss.Softmax;
        options.Similarity = RetrievalSimilarity.DotProduct;
        options.SoftmaxTemperature = 1;
        options.LearningRate = 1e-3;
        int[] k = { 10 };
        var users = Enumerable.Range(0, Sample.UserCount).ToArray();

        using GenerativeRetrievalModel model = GenerativeRetrievalTrainer.Train(new MLContext(seed: 1), _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension,
            _sample.UserEmbeddings, train, validation, options, out TrainingResult result);
        var decodedAlone = new DotProductRecommender(model.DecodeUserCodes(users)!, _sample.ItemEmbeddings, Sample.CfDimension);
        var coOccurrence = new CoOccurrenceRecommender(train, Sample.ItemCount);
        double anchored = RecommenderEvaluator.Evaluate(model, Sample.TestCases, k, excludeHistory: true).Get(MetricNames.HitRate, 10);
        double byDecoded = RecommenderEvaluator.Evaluate(decodedAlone, Sample.TestCases, k, excludeHistory: true).Get(MetricNames.HitRate, 10);
        double byCoOccurrence = RecommenderEvaluator.Evaluate(coOccurrence, Sample.TestCases, k, excludeHistory: true).Get(MetricNames.HitRate, 10);

        _output.WriteLine($"HR@10: anchored retrieval {anchored:F4} (best epoch {result.BestEpoch}), decoded users alone {byDecoded:F4}, co-occurrence {byCoOccurrence:F4}");
        result.ValidationCurve[0].Epoch.Should().Be(0, "the decoded start is validated before the first step");
        anchored.Should().BeGreaterThan(byCoOccurrence);

        // A learning rate that wrecks the correction in its one epoch: that epoch does not beat the start, so the start is what is returned, and
        // with the correction's last layer back at zero the model's vectors are exactly the decoded users.
        options.LearningRate = 5.0;
        options.GradientClipNorm = 0;
        options.NumberOfEpochs = 1;
        using GenerativeRetrievalModel wrecked = GenerativeRetrievalTrainer.Train(new MLContext(seed: 1), _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension,
            _sample.UserEmbeddings, train, validation, options, out TrainingResult wreckedResult);
        _output.WriteLine($"lr 5: validation curve {string.Join(", ", wreckedResult.ValidationCurve.Select(p => $"{p.Epoch}:{p.Metric:F3}"))}");
        wreckedResult.BestEpoch.Should().Be(0);
        wrecked.EncodeUsers(users.Select(u => new RecommendationRequest(u, train[u])).ToArray()).Should().Equal(wrecked.DecodeUserCodes(users));
    }

    [Fact]
    public void SavedAnchoredModelLoadsToIdenticalRecommendations()
    {
        using GenerativeRetrievalModel model = Train(Anchored(epochs: 1), out _);
        IReadOnlyList<RecommendationRequest> requests = Sample.Requests(40);

        byte[] blob = GenerativeRetrievalBlob.Save(model, _sample.ItemEmbeddings);
        using GenerativeRetrievalModel loaded = GenerativeRetrievalBlob.Load(blob);

        loaded.Options.UseUserCodeAnchor.Should().BeTrue();
        loaded.Recommend(requests, 10, true, out float[][] after).Should().BeEquivalentTo(model.Recommend(requests, 10, true, out float[][] before), o => o.WithStrictOrdering());
        after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        GenerativeRetrievalOptions withoutAnchor = model.Options;
        withoutAnchor.UseUserCodeAnchor = false;
        FluentActions.Invoking(() => GenerativeRetrievalModel.Load(model.SaveWeights(), withoutAnchor, _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension))
            .Should().Throw<ArgumentException>().WithParameterName("weights", "the decoder's weights have no place in a network without the anchor");
    }

    [Fact]
    public void MissingOrMismatchedInputsAreNamed()
    {
        var noUserTokens = Anchored(epochs: 1);
        noUserTokens.UseUserTokens = false;
        noUserTokens.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithParameterName(nameof(GenerativeRetrievalOptions.UseUserCodeAnchor));

        var noEpochs = Anchored(epochs: 1);
        noEpochs.UserCodeAnchorEpochs = 0;
        noEpochs.Invoking(o => o.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(GenerativeRetrievalOptions.UserCodeAnchorEpochs));

        FluentActions.Invoking(() => GenerativeRetrievalTrainer.Train(new MLContext(1), _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension,
                null, Sample.TrainSets, null, Anchored(epochs: 1), out _))
            .Should().Throw<ArgumentNullException>().WithParameterName("cfUserEmbeddings");
        FluentActions.Invoking(() => Train(Anchored(epochs: 1), out _, _sample.UserEmbeddings.Take(10 * Sample.CfDimension).ToArray()))
            .Should().Throw<ArgumentException>().WithParameterName("cfUserEmbeddings").WithMessage("*cover 10 users*");
        float[] withNaN = (float[])_sample.UserEmbeddings.Clone();
        withNaN[5 * Sample.CfDimension + 2] = float.NaN;
        FluentActions.Invoking(() => Train(Anchored(epochs: 1), out _, withNaN))
            .Should().Throw<ArgumentException>().WithParameterName("cfUserEmbeddings").WithMessage("Row 5 *NaN*feature 2*");

        // History rows carry no user embeddings: the estimator says so at construction.
        FluentActions.Invoking(() => new GenerativeRetrievalEstimator(new MLContext(1), _sample.UserCodes, _sample.ItemCodes, _sample.ItemEmbeddings, Sample.CfDimension, Anchored(epochs: 1)))
            .Should().Throw<ArgumentException>().WithMessage("*UseUserCodeAnchor*interaction-rows*");
    }

    /// <summary>The CF model's own ranking: each user's embedding against every item's, by dot product.</summary>
    private sealed class DotProductRecommender(float[] users, float[] items, int dimension) : IRecommender
    {
        public int ItemCount => items.Length / dimension;

        public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) =>
            requests.Select(request =>
            {
                var skip = excludeHistory ? request.History.ToHashSet() : new HashSet<int>();
                return Enumerable.Range(0, ItemCount).Where(item => !skip.Contains(item))
                    .OrderByDescending(item => Enumerable.Range(0, dimension).Sum(f => (double)users[request.UserIndex * dimension + f] * items[item * dimension + f]))
                    .ThenBy(item => item)
                    .Take(k).ToArray();
            }).ToArray();
    }
}
