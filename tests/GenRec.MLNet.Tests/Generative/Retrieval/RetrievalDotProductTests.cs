using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Retrieval;
using TorchSharp;
using Xunit;
using Sample = GenRec.MLNet.Tests.Generative.Retrieval.RetrievalTestData;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>
/// <see cref="RetrievalSimilarity.DotProduct"/>: the loss and the ranking use the raw dot product with the CF item
/// embeddings (item lengths count), the choice survives the model file, and it is refused with the cosine-only loss.
/// </summary>
[Collection(RetrievalSampleCollection.Name)]
public sealed class RetrievalDotProductTests
{
    private readonly RetrievalSample _sample;

    public RetrievalDotProductTests(RetrievalSample sample) => _sample = sample;

    [Fact]
    public void DotProductSoftmaxUsesTheRawVectors()
    {
        using var scope = torch.NewDisposeScope();
        // Unnormalized items: e0 = 2x, e1 = y, e2 = −x; u = 3x. Dot products 6, 0, −3; cosines 1, 0, −1.
        var items = torch.tensor(new float[] { 2, 0, 0, 1, -1, 0 }, new long[] { 3, 2 });
        var prompts = torch.tensor(new float[] { 3, 0 }, new long[] { 1, 2 });
        var pairPrompt = torch.tensor(new long[] { 0 });
        var positives = torch.tensor(new long[] { 1 });
        const double temperature = 2.0;
        double[] dots = { 6, 0, -3 };
        double expected = Math.Log(dots.Sum(v => Math.Exp(v / temperature))) - (dots[1] / temperature);

        RetrievalPairLoss.ComputeSoftmax(prompts, pairPrompt, positives, items, RetrievalSimilarity.DotProduct, temperature, null).item<float>()
            .Should().BeApproximately((float)expected, 1e-4f);
        double[] cosines = { 1, 0, -1 };
        double cosineExpected = Math.Log(cosines.Sum(v => Math.Exp(v / temperature))) - (cosines[1] / temperature);
        // The control: for cosine the caller passes unit-length items (RetrievalInputs.ScoringItems), and the prompt's length is dropped.
        var unitItems = torch.nn.functional.normalize(items, p: 2, dim: -1);
        RetrievalPairLoss.ComputeSoftmax(prompts, pairPrompt, positives, unitItems, RetrievalSimilarity.Cosine, temperature, null).item<float>()
            .Should().BeApproximately((float)cosineExpected, 1e-4f, "cosine ignores both lengths");
    }

    [Fact]
    public void DotProductNeedsTheSoftmaxLoss()
    {
        var options = Sample.Tiny(epochs: 1);
        options.Similarity = RetrievalSimilarity.DotProduct;
        options.Loss = RetrievalLoss.CosineMargin;

        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentException>().WithParameterName("Similarity").WithMessage("*Loss = Softmax*");
        options.Loss = RetrievalLoss.Softmax;
        FluentActions.Invoking(options.Validate).Should().NotThrow();
    }

    [Fact]
    public void ADotProductModelRanksByDotProductAndKeepsItThroughItsFile()
    {
        var options = Sample.Tiny(epochs: 6);
        options.Loss = RetrievalLoss.Softmax;
        options.Similarity = RetrievalSimilarity.DotProduct;
        using GenerativeRetrievalModel model = _sample.Train(options, out _);
        IReadOnlyList<RecommendationRequest> requests = Sample.Requests(20);
        const int k = 10;

        int[][] top = model.Recommend(requests, k, excludeHistory: true, out float[][] scores);
        float[] users = model.EncodeUsers(requests);
        int d = Sample.CfDimension;
        for (int r = 0; r < requests.Count; r++)
        {
            double[] dot = Enumerable.Range(0, Sample.ItemCount)
                .Select(item => (double)System.Numerics.Tensors.TensorPrimitives.Dot<float>(users.AsSpan(r * d, d), _sample.ItemEmbeddings.AsSpan(item * d, d)))
                .ToArray();
            for (int j = 0; j < k; j++)
            {
                scores[r][j].Should().BeApproximately((float)dot[top[r][j]], 1e-3f, "scores are dot products with the unnormalized CF item embeddings");
            }

            double best = Enumerable.Range(0, Sample.ItemCount).Except(top[r]).Except(requests[r].History).Max(item => dot[item]);
            best.Should().BeLessThanOrEqualTo(scores[r][k - 1] + 1e-3, "the top-k is exact under the dot product");
        }

        using GenerativeRetrievalModel loaded = GenerativeRetrievalBlob.Load(GenerativeRetrievalBlob.Save(model, _sample.ItemEmbeddings));
        loaded.Options.Similarity.Should().Be(RetrievalSimilarity.DotProduct);
        loaded.Options.Loss.Should().Be(RetrievalLoss.Softmax);
        loaded.Recommend(requests, k, true, out float[][] after).Should().BeEquivalentTo(top, o => o.WithStrictOrdering());
        after.Should().BeEquivalentTo(scores, o => o.WithStrictOrdering());
    }
}
