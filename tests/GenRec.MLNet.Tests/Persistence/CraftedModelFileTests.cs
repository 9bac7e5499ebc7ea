using System.Buffers.Binary;
using System.Text;
using FluentAssertions;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tests.Persistence;

/// <summary>
/// Model files are untrusted input: a changed length or size must give an <see cref="InvalidDataException"/> naming the
/// field before anything large is allocated (a 32 KB file once asked for 8–17 GB).
/// </summary>
public sealed class CraftedModelFileTests
{
    // Managed bytes a rejected load may allocate; the crafted values below would ask for gigabytes.
    private const long AllocationBound = 32L << 20;

    // Byte offsets in GenerativeModelBlob's layout: the length-prefixed magic (1 + 17 bytes), the version, then the options.
    private const int ModelDimensionAt = 38;
    private const int VersionAt = 18;
    private const int TopKAt = 83;
    private const int LossScopeAt = 92;  // version 2 (after the 1-byte ExcludeHistoryFromRecommendations at 91)
    private const int CodeRowsAt = 96;
    private const int CodeLevelsAt = 100;

    private static readonly Lazy<(byte[] Blob, byte[] Weights)> Generative = new(BuildGenerativeBlob);

    [Fact]
    public void TheIntactBlobLoads()
    {
        using GenerativeRecommenderModel model = GenerativeModelBlob.Load(Generative.Value.Blob);

        model.ItemCount.Should().Be(GenerativeTestData.Codes.ItemCount);
        ReadInt(Generative.Value.Blob, ModelDimensionAt).Should().Be(16, "the offsets used below must point at the fields they name");
        ReadInt(Generative.Value.Blob, TopKAt).Should().Be(10);
        ReadInt(Generative.Value.Blob, CodeRowsAt).Should().Be(GenerativeTestData.Codes.ItemCount);
        ReadInt(Generative.Value.Blob, CodeLevelsAt).Should().Be(3);
        ReadInt(Generative.Value.Blob, VersionAt).Should().Be(2);
        ReadInt(Generative.Value.Blob, LossScopeAt).Should().Be((int)GenerativeLossScope.Level);
    }

    [Fact]
    public void AVersion1BlobLoadsWithThePerLevelLossScopeAndTheSameWeights()
    {
        // Version 1 is version 2 without the loss-scope field.
        byte[] v2 = Generative.Value.Blob;
        byte[] v1 = WithInt(v2[..LossScopeAt].Concat(v2[(LossScopeAt + 4)..]).ToArray(), VersionAt, 1);

        using GenerativeRecommenderModel model = GenerativeModelBlob.Load(v1);

        model.Options.LossScope.Should().Be(GenerativeLossScope.Level);
        model.SaveWeights().Should().Equal(Generative.Value.Weights);
    }

    [Fact]
    public void AWholeVocabularyModelKeepsItsLossScopeThroughTheBlob()
    {
        byte[] crafted = WithInt(Generative.Value.Blob, LossScopeAt, (int)GenerativeLossScope.WholeVocabulary);

        using GenerativeRecommenderModel model = GenerativeModelBlob.Load(crafted);

        model.Options.LossScope.Should().Be(GenerativeLossScope.WholeVocabulary);
        GenerativeModelBlob.Save(model).Should().Equal(crafted);
    }

    [Theory]
    [InlineData(CodeRowsAt, 1 << 30, "row count")]
    [InlineData(CodeLevelsAt, 1 << 30, "level count")]
    [InlineData(TopKAt, int.MaxValue, "TopK")]
    [InlineData(LossScopeAt, 7, "loss scope")]
    [InlineData(VersionAt, 3, "version 3")]
    [InlineData(ModelDimensionAt, 1 << 16, "ModelDimension 65536")]
    [InlineData(ModelDimensionAt, -5, "ModelDimension")]
    public void ACraftedGenerativeFieldIsNamedBeforeAnythingLargeIsAllocated(int offset, int value, string named)
    {
        byte[] crafted = WithInt(Generative.Value.Blob, offset, value);

        AssertRejected(() => GenerativeModelBlob.Load(crafted), named);
    }

    [Fact]
    public void ACraftedWeightLengthIsRejected()
    {
        byte[] blob = Generative.Value.Blob;
        byte[] crafted = WithInt(blob, blob.Length - Generative.Value.Weights.Length - 4, int.MaxValue);

        AssertRejected(() => GenerativeModelBlob.Load(crafted), "the network weights");
    }

    [Fact]
    public void ATruncatedBlobSaysItEndsEarly()
    {
        byte[] truncated = Generative.Value.Blob[..(CodeLevelsAt + 2)];

        AssertRejected(() => GenerativeModelBlob.Load(truncated), "ends early");
    }

    [Fact]
    public void ACraftedTensorRankInTheWeightStreamIsRejectedBeforeTorchSharpSizesAnArray()
    {
        // The stream starts with the tensor count, then the first tensor's name, dtype and rank (LEB128 integers).
        byte[] weights = Generative.Value.Weights;
        int nameAt = 0;
        while ((weights[nameAt++] & 0x80) != 0)
        {
        }

        int rankAt = nameAt + 1 + weights[nameAt] + 1; // name length byte, name, dtype byte
        weights[rankAt].Should().BeLessThan(8, "the first tensor's rank is at this offset");
        byte[] hugeRank = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }; // 2^35
        byte[] craftedWeights = weights[..rankAt].Concat(hugeRank).Concat(weights[(rankAt + 1)..]).ToArray();
        byte[] blob = Generative.Value.Blob;
        int prefix = blob.Length - weights.Length - 4;
        byte[] crafted = blob[..prefix].Concat(BitConverter.GetBytes(craftedWeights.Length)).Concat(craftedWeights).ToArray();

        AssertRejected(() => GenerativeModelBlob.Load(crafted), "the rank of");
    }

    [Fact]
    public void AnEncoderWhoseSizesNeedMoreWeightsThanItCarriesIsRejected()
    {
        // 100,000 inputs through a 64-wide layer need 12.8 M parameters; the file carries one small Linear.
        string json = "{\"InputDimension\":100000,\"EncoderLayerSizes\":[64],\"CodeDimension\":8,\"Levels\":3,\"CodebookSize\":16,\"Dropout\":0}";
        byte[] crafted = EncoderBlob("GenRec.RqVae", json, SmallWeightStream());

        AssertRejected(() => SemanticIdEncoderBlob.Load(crafted), "describe a network");
    }

    [Fact]
    public void AnEncoderWeightLengthBeyondTheFileIsRejected()
    {
        string json = "{\"InputDimension\":4,\"Ways\":2,\"CodebookSize\":4,\"CodeDimension\":2,\"EncoderLayerSizes\":[]}";
        byte[] valid = EncoderBlob("GenRec.MaskedKWay", json, SmallWeightStream());
        byte[] crafted = WithInt(valid, valid.Length - SmallWeightStream().Length - 4, int.MaxValue);

        AssertRejected(() => SemanticIdEncoderBlob.Load(crafted), "the network weights");
    }

    [Fact]
    public void ARetrievalEmbeddingCountBeyondTheFileIsRejected()
    {
        byte[] crafted = RetrievalBlob("{}", embeddingCount: int.MaxValue);

        AssertRejected(() => GenerativeRetrievalBlob.Load(crafted), "CF item embeddings");
    }

    [Fact]
    public void RetrievalHyperparametersOfTheWrongTypeAreRejected()
    {
        byte[] crafted = RetrievalBlob("{\"Layers\":\"many\"}", embeddingCount: 0);

        AssertRejected(() => GenerativeRetrievalBlob.Load(crafted), "hyperparameters");
    }

    [Theory]
    [InlineData("{\"Similarity\":9}", "similarity 9")]
    [InlineData("{\"Loss\":-1}", "loss -1")]
    public void UnknownRetrievalSimilarityOrLossIsRejectedByName(string json, string named)
    {
        byte[] crafted = RetrievalBlob(json, embeddingCount: 0);

        AssertRejected(() => GenerativeRetrievalBlob.Load(crafted), named);
    }

    // A residual k-means blob: standardization over 2 features, then 1 level of 2 centroids.
    private const string KMeansJson = "{\"ContentDimension\":2,\"CollaborativeDimension\":0,\"CollaborativeWeight\":0,\"Normalization\":2,\"Levels\":1,\"CodebookSize\":2}";

    private static readonly float[] Means = { 0f, 0f }, Deviations = { 1f, 1f }, Centroids = { -1f, -1f, 1f, 1f };

    [Fact]
    public void AnIntactResidualKMeansBlobLoadsAndCodesByItsCentroids()
    {
        using var encoder = (GenRec.MLNet.Tokenization.ResidualKMeans.ResidualKMeansModel)SemanticIdEncoderBlob.Load(
            KMeansBlob(KMeansJson, (2, Means), (2, Deviations), (4, Centroids)));

        encoder.Encode(new[] { 2f, 3f, -0.5f, -2f }, 2).AllCodes.ToArray().Should().Equal(1, 0);
    }

    public static TheoryData<string, int, string> CraftedKMeansBlobs => new()
    {
        { "centroid count beyond the file", 0, "the centroids of level 0 is 2147483647" },
        { "centroid count the sizes do not call for", 1, "call for 4" },
        { "means count", 2, "the standardization means" },
        { "codebook size", 3, "CodebookSize" },
        { "trailing bytes", 4, "follow the last level" },
        { "truncated centroids", 5, "the centroids of level 0" },
        { "NaN centroid", 6, "non-finite" },
        { "zero deviation", 7, "deviation is 0" },
    };

    [Theory]
    [MemberData(nameof(CraftedKMeansBlobs))]
    public void ACraftedResidualKMeansFieldIsNamed(string what, int variant, string named)
    {
        byte[] crafted = variant switch
        {
            0 => KMeansBlob(KMeansJson, (2, Means), (2, Deviations), (int.MaxValue, Centroids)),
            1 => KMeansBlob(KMeansJson, (2, Means), (2, Deviations), (3, Centroids[..3])),
            2 => KMeansBlob(KMeansJson, (5, Means), (2, Deviations), (4, Centroids)),
            3 => KMeansBlob(KMeansJson.Replace("\"CodebookSize\":2", "\"CodebookSize\":1073741824"), (2, Means), (2, Deviations), (4, Centroids)),
            4 => KMeansBlob(KMeansJson, (2, Means), (2, Deviations), (4, Centroids), (1, new[] { 0f })),
            5 => KMeansBlob(KMeansJson, (2, Means), (2, Deviations), (4, Centroids))[..^2],
            6 => KMeansBlob(KMeansJson, (2, Means), (2, Deviations), (4, new[] { 0f, float.NaN, 1f, 1f })),
            _ => KMeansBlob(KMeansJson, (2, Means), (2, new[] { 1f, 0f }), (4, Centroids)),
        };

        what.Should().NotBeEmpty();
        AssertRejected(() => SemanticIdEncoderBlob.Load(crafted), named);
    }

    private static void AssertRejected(Action load, string named)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        load.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(named);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(AllocationBound);
    }

    private static (byte[] Blob, byte[] Weights) BuildGenerativeBlob()
    {
        GenerativeRecommenderOptions options = GenerativeTestData.Tiny();
        options.ModelDimension = 16;
        options.HeadDimension = 8;
        options.FeedForwardDimension = 32;
        SemanticIdTable codes = GenerativeTestData.Codes;
        var network = GenerativeRecommenderTrainer.CreateNetwork(options, codes);
        var table = new ItemTokenTable(codes, network.Vocabulary, CPU);
        using var model = new GenerativeRecommenderModel(options, codes, network, table, new int[codes.ItemCount], CPU);
        return (GenerativeModelBlob.Save(model), model.SaveWeights());
    }

    private static byte[] SmallWeightStream()
    {
        using var linear = nn.Linear(2, 2);
        using var stream = new MemoryStream();
        linear.save(stream);
        return stream.ToArray();
    }

    private static byte[] EncoderBlob(string magic, string json, byte[] weights)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(magic);
            w.Write(1);
            w.Write(json);
            w.Write(weights.Length);
            w.Write(weights);
        }

        return stream.ToArray();
    }

    private static byte[] KMeansBlob(string json, params (int DeclaredCount, float[] Values)[] arrays)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("GenRec.ResidualKMeans");
            w.Write(1);
            w.Write(json);
            foreach ((int declared, float[] values) in arrays)
            {
                w.Write(declared);
                foreach (float value in values)
                {
                    w.Write(value);
                }
            }
        }

        return stream.ToArray();
    }

    private static byte[] RetrievalBlob(string json, int embeddingCount)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("GenRec.GenerativeRetrieval");
            w.Write(1);
            w.Write(json);
            w.Write(false); // no user codes
            w.Write(false); // no item codes
            w.Write(4);     // CF dimension
            w.Write(embeddingCount);
            w.Write(new byte[64]);
        }

        return stream.ToArray();
    }

    private static int ReadInt(byte[] blob, int offset) => BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(offset));

    private static byte[] WithInt(byte[] blob, int offset, int value)
    {
        byte[] copy = (byte[])blob.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
