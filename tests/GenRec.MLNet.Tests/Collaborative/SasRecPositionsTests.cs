using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Collaborative.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tests.Collaborative;

/// <summary>SASRec's two position numberings (<see cref="CollaborativeEmbeddingOptions.RecencyPositions"/>) and how they travel in the model file.</summary>
public sealed class SasRecPositionsTests
{
    private const int Items = 20, Dimension = 8, MaxLength = 6;

    [Fact]
    public void RecencyPositionsNumberFromTheLatestItem()
    {
        // Same weights, except that the oldest-first network's position rows 0..2 hold the recency network's rows 2..0:
        // on 3-item histories (recency 2,1,0 = oldest-first 0,1,2) both must compute the same function.
        using SasRecNetwork recency = Network(recencyPositions: true);
        using SasRecNetwork oldestFirst = Network(recencyPositions: false);
        oldestFirst.load_state_dict(recency.state_dict());
        using Tensor history = tensor(new long[] { 4, 9, 13, 0, 0, 2, 7, 11, 0, 0 }).view(2, 5); // two 3-item histories, right-padded
        using Tensor lengths = tensor(new long[] { 3, 3 });
        float[] before = oldestFirst.LastHidden(history, lengths).data<float>().ToArray();
        using (no_grad())
        {
            Tensor positions = oldestFirst.state_dict()["position_embedding.weight"];
            using Tensor reversed = recency.state_dict()["position_embedding.weight"].narrow(0, 0, 3).flip(0);
            positions.narrow(0, 0, 3).copy_(reversed);
        }

        float[] expected = recency.LastHidden(history, lengths).data<float>().ToArray();
        float[] actual = oldestFirst.LastHidden(history, lengths).data<float>().ToArray();
        actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max().Should().BeLessThan(1e-5f);
        before.Zip(expected, (a, e) => Math.Abs(a - e)).Max().Should().BeGreaterThan(1e-3f, "a control: the numbering must matter before the rows are swapped");
    }

    [Fact]
    public void TheNumberingIsSavedAndVersionOneFilesLoadAsOldestFirst()
    {
        var options = new CollaborativeEmbeddingOptions { Model = CollaborativeModelKind.SasRec, Dimension = Dimension, MaxHistoryLength = MaxLength, Layers = 1, Heads = 1, Dropout = 0, TopK = 5, ExcludeHistoryFromRecommendations = false, RecencyPositions = true };
        uint[] history = [3, 8, 15, 6];
        using SasRecNetwork trained = Network(recencyPositions: true);
        byte[] blob = SasRecModelBlob.Save(trained, Items, options);
        float[] reference = Scores(Network(recencyPositions: true, from: trained), history);
        float[] oldestFirst = Scores(Network(recencyPositions: false, from: trained), history);
        oldestFirst.Should().NotEqual(reference, "a control: the two numberings score this history differently");

        using (SasRecServingModel loaded = SasRecModelBlob.Load(blob))
        {
            loaded.Recommend(history, []).Scores.Should().Equal(reference, (a, b) => Math.Abs(a - b) < 1e-5f);
        }

        // A version-1 file has no numbering byte: the same bytes without it, marked version 1, load as oldest-first.
        int versionOffset = 1 + "GenRec.SasRec".Length;
        int flagOffset = versionOffset + (sizeof(int) * 6) + sizeof(double) + sizeof(int) + 1 + sizeof(int);
        blob[flagOffset].Should().Be(1, "the numbering byte sits after the device");
        byte[] version1 = [.. blob[..flagOffset], .. blob[(flagOffset + 1)..]];
        BitConverter.GetBytes(1).CopyTo(version1, versionOffset);
        using (SasRecServingModel loaded = SasRecModelBlob.Load(version1))
        {
            loaded.Recommend(history, []).Scores.Should().Equal(oldestFirst, (a, b) => Math.Abs(a - b) < 1e-5f);
        }

        BitConverter.GetBytes(3).CopyTo(blob, versionOffset);
        FluentActions.Invoking(() => SasRecModelBlob.Load(blob)).Should().Throw<InvalidDataException>().WithMessage("*version 3*");
    }

    private static SasRecNetwork Network(bool recencyPositions, SasRecNetwork? from = null)
    {
        torch.manual_seed(11);
        var network = new SasRecNetwork(Items, Dimension, MaxLength, layers: 1, heads: 1, dropout: 0, recencyPositions);
        if (from != null)
        {
            network.load_state_dict(from.state_dict());
        }

        network.eval();
        return network;
    }

    private static float[] Scores(SasRecNetwork network, uint[] history)
    {
        using var model = new SasRecServingModel(network, CPU, topK: 5, excludeHistory: false);
        return model.Recommend(history, []).Scores;
    }
}
