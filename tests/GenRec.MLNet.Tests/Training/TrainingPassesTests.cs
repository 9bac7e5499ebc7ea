using FluentAssertions;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Decoding;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Nn;
using GenRec.MLNet.Tests.Generative;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tests.Training;

/// <summary>
/// A batch split into passes (gradient accumulation) must give the gradient and loss of the whole batch: the split is
/// for speed, never a change to what is learned.
/// </summary>
public sealed class TrainingPassesTests
{
    [Fact]
    public void PassesHoldTheBudgetOfPaddedPositions()
    {
        // Positions 1,1,2,3,3,10 and a budget of 6 padded positions (longest × count), worked by hand:
        // [1,1,2] = 2 × 3 = 6; adding 3 would make 3 × 4 = 12. [3,3] = 6; adding 10 would make 30. [10] is over the
        // budget alone and becomes a pass of its own. Shares are predicted items (here the positions) over the batch's 20.
        int[] positions = [1, 1, 2, 3, 3, 10];
        int[] batch = [0, 1, 2, 3, 4, 5];
        var passes = GenRec.MLNet.Training.BatchPasses.Split(batch, e => positions[e], 6, part => part.Sum(e => positions[e]));
        passes.Select(p => p.Part).Should().BeEquivalentTo(new[] { new[] { 0, 1, 2 }, new[] { 3, 4 }, new[] { 5 } }, o => o.WithStrictOrdering());
        passes.Select(p => p.Share).Should().Equal(new[] { 0.2, 0.3, 0.5 }, (a, b) => Math.Abs(a - b) < 1e-12);
        GenRec.MLNet.Training.BatchPasses.Split(batch, e => positions[e], 60, part => part.Length).Should().ContainSingle().Which.Share.Should().Be(1.0);
    }

    [Theory]
    [InlineData(GenerativeArchitecture.EncoderDecoder)]
    [InlineData(GenerativeArchitecture.DecoderOnly)]
    public void PassesAddUpToTheWholeBatchsGradient(GenerativeArchitecture architecture)
    {
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny(architecture);
        torch.manual_seed(3);
        using GenerativeNetwork network = GenerativeRecommenderTrainer.CreateNetwork(options, GenerativeTestData.Codes);
        network.eval(); // no dropout, so both ways see the same function
        var table = new ItemTokenTable(GenerativeTestData.Codes, network.Vocabulary, CPU);
        var examples = new GenerativeExamples(GenerativeTestData.Split.TrainSequences, options.MaxHistoryLength, architecture == GenerativeArchitecture.DecoderOnly);
        var trie = SemanticIdTrie.FromTable(GenerativeTestData.Codes, (a, b) => a.CompareTo(b));
        var decoder = new GenerativeDecoder(network, table, trie, options, CPU, () => GenerativeTestData.Codes.ItemCount);
        var whole = new GenerativeTrainable(network, table, examples, options, decoder, null, CPU) { TokensPerPass = int.MaxValue };
        var split = new GenerativeTrainable(network, table, examples, options, decoder, null, CPU) { TokensPerPass = 96 };
        int[] batch = whole.EnumerateBatches(0, new Random(1)).OrderByDescending(b => b.Length).First();

        var passes = split.SplitIntoPasses(batch);
        passes.Should().HaveCountGreaterThan(2, "the test must split the batch");
        passes.SelectMany(p => p.Part).Should().Equal(batch, "passes are consecutive pieces of the batch, in order");
        passes.Sum(p => p.Share).Should().BeApproximately(1.0, 1e-12);
        whole.SplitIntoPasses(batch).Should().ContainSingle().Which.Share.Should().Be(1.0);

        var (wholeLoss, wholeGradients) = Gradients(network, () => [(whole.ComputeLoss(batch), 1.0)]);
        var (splitLoss, splitGradients) = Gradients(network, () => passes.Select(p => (split.ComputeLoss(p.Part), p.Share)).ToArray());

        splitLoss.Should().BeApproximately(wholeLoss, 1e-5);
        ShouldMatch(wholeGradients, splitGradients);
    }

    [Fact]
    public void SasRecPassesAddUpToTheWholeBatchsGradient()
    {
        var options = new GenRec.MLNet.Collaborative.CollaborativeEmbeddingOptions
        {
            Model = GenRec.MLNet.Collaborative.CollaborativeModelKind.SasRec, Dimension = 16, Layers = 1, Heads = 1, Dropout = 0, MaxHistoryLength = 10, BatchSize = 64, Loss = GenRec.MLNet.Collaborative.CollaborativeLoss.CrossEntropy,
        };
        var random = new Random(4);
        int[][] sequences = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, random.Next(2, 14)).Select(_ => random.Next(50)).ToArray()).ToArray();
        var data = new GenRec.MLNet.Collaborative.CollaborativeTrainingData(80, 50, sequences);
        torch.manual_seed(3);
        using var network = new GenRec.MLNet.Collaborative.Models.SasRecNetwork(50, 16, 10, 1, 1, 0);
        network.eval();
        var whole = new GenRec.MLNet.Collaborative.SequenceTrainable(network, data, options, CPU, () => throw new InvalidOperationException()) { LogitsPerPass = long.MaxValue };
        var split = new GenRec.MLNet.Collaborative.SequenceTrainable(network, data, options, CPU, () => throw new InvalidOperationException()) { LogitsPerPass = 50 * 40 };
        int[] batch = whole.EnumerateBatches(0, new Random(1)).OrderByDescending(b => b.Length).First();

        var passes = split.SplitIntoPasses(batch);
        passes.Should().HaveCountGreaterThan(2, "the test must split the batch");
        passes.SelectMany(p => p.Part).Should().Equal(batch);
        passes.Sum(p => p.Share).Should().BeApproximately(1.0, 1e-12);

        var (wholeLoss, wholeGradients) = Gradients(network, () => [(whole.ComputeLoss(batch), 1.0)]);
        var (splitLoss, splitGradients) = Gradients(network, () => passes.Select(p => (split.ComputeLoss(p.Part), p.Share)).ToArray());
        splitLoss.Should().BeApproximately(wholeLoss, 1e-5);
        ShouldMatch(wholeGradients, splitGradients);
    }

    private static void ShouldMatch(float[][] wholeGradients, float[][] splitGradients)
    {
        for (int i = 0; i < wholeGradients.Length; i++)
        {
            float scale = wholeGradients[i].Select(Math.Abs).DefaultIfEmpty(0f).Max();
            wholeGradients[i].Zip(splitGradients[i], (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0f).Max()
                .Should().BeLessThanOrEqualTo(1e-5f * Math.Max(1f, scale), $"parameter {i}'s gradient must not depend on the split");
        }

        wholeGradients.Sum(g => g.Count(v => v != 0)).Should().BeGreaterThan(100, "a control: the gradients compared are not all zero");
    }

    private static (double Loss, float[][] Gradients) Gradients(nn.Module network, Func<(Tensor Loss, double Share)[]> passes)
    {
        foreach (var p in network.parameters())
        {
            p.grad?.zero_();
        }

        double total = 0;
        foreach ((Tensor loss, double share) in passes())
        {
            using (loss)
            {
                total += share * loss.item<float>();
                using Tensor weighted = loss.Times(share);
                weighted.backward();
            }
        }

        return (total, network.parameters().Select(p => p.grad is null ? Array.Empty<float>() : p.grad.data<float>().ToArray()).ToArray());
    }
}
