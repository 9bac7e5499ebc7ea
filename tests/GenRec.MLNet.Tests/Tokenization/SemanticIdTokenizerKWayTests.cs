using FluentAssertions;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Data;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tests.Tokenization.RqVae;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization;

/// <summary>TokenRec's masked K-way tokenizer through <see cref="SemanticIdTokenizerEstimator"/> (Method = MaskedKWay).</summary>
public sealed class SemanticIdTokenizerKWayTests
{
    private const int Items = RqVaeTestData.Items;
    private const int Dimension = RqVaeTestData.Dimension;

    private static SemanticIdTokenizerOptions KWayOptions(string keyColumn = "ItemId", string contentColumn = "Features", int epochs = 8) => new()
    {
        Method = SemanticIdMethod.MaskedKWay,
        ItemColumnName = keyColumn,
        ContentColumnName = contentColumn,
        MaskedKWay = new MaskedKWayOptions
        {
            Ways = 3,
            CodebookSize = 16,
            CodeDimension = 8,
            EncoderLayerSizes = new[] { 32, 32 },
            NumberOfEpochs = epochs,
            MinimumTrainingSteps = 0,
            BatchSize = 64,
            LearningRate = 3e-3,
            KMeansIterations = 10,
            Device = TorchDeviceKind.Cpu,
            Seed = 11,
        },
    };

    private static IDataView KeyedVectors(MLContext ml, float[] vectors, int count, int dimension, int keyCount, string keyColumn, string contentColumn, bool unseenKeys = false)
    {
        var rows = Enumerable.Range(0, count).Select(i => new KeyedRow
        {
            // LoadFromEnumerable exposes a key member as value + 1; uint.MaxValue wraps to key 0 (unseen).
            Key = unseenKeys ? uint.MaxValue : (uint)i,
            Vector = vectors.AsSpan(i * dimension, dimension).ToArray(),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(KeyedRow));
        schema[nameof(KeyedRow.Key)].ColumnType = new KeyDataViewType(typeof(uint), keyCount);
        schema[nameof(KeyedRow.Key)].ColumnName = keyColumn;
        schema[nameof(KeyedRow.Vector)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        schema[nameof(KeyedRow.Vector)].ColumnName = contentColumn;
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static IDataView ItemTable(MLContext ml, float[] vectors, int count, bool unseenKeys = false) =>
        KeyedVectors(ml, vectors, count, Dimension, Items, "ItemId", "Features", unseenKeys);

    private static List<(int[] Codes, float[] Quantized)> Read(IDataView output) =>
        output.GetColumn<VBuffer<uint>>("SemanticId").Select(v => v.DenseValues().Select(c => (int)c).ToArray())
            .Zip(output.GetColumn<VBuffer<float>>("QuantizedVector").Select(v => v.DenseValues().ToArray()))
            .ToList();

    [Fact]
    public void FitServesTheTrainedKWayCodesAndTheirMeanCodeVectors()
    {
        var ml = new MLContext(seed: 1);
        float[] vectors = RqVaeTestData.Default(out _);
        using SemanticIdTokenizerTransformer transformer = ml.GenerativeRecommendation().SemanticIdTokenizer(KWayOptions()).Fit(ItemTable(ml, vectors, Items));

        MaskedKWayModel model = transformer.MaskedKWayModel!;
        transformer.Model.Should().BeNull("no RQ-VAE was trained");
        transformer.Codes.Levels.Should().Be(3);
        transformer.Codes.AllCodes.ToArray().Should().Equal(model.Codes.AllCodes.ToArray());
        float[] expectedQuantized = model.QuantizedVectors(model.Codes);
        var rows = Read(transformer.Transform(ItemTable(ml, vectors, Items)));
        rows.Should().HaveCount(Items);
        for (int item = 0; item < Items; item++)
        {
            rows[item].Codes.Should().Equal(model.Codes.GetCodes(item));
            rows[item].Quantized.Should().Equal(expectedQuantized.AsSpan(item * 8, 8).ToArray());
        }

        transformer.Statistics.ItemCount.Should().Be(Items);
        model.WayUtilization.Should().OnlyContain(u => u > 0.5, "k-means initialization and dead-code resets keep most codes in use");
    }

    [Fact]
    public void QuantizedVectorIsTheMeanOfTheWaysCodeVectors()
    {
        float[] vectors = RqVaeTestData.Default(out _);
        using MaskedKWayModel model = MaskedKWayTrainer.Train(new MLContext(1), vectors, Items, Dimension, KWayOptions(epochs: 2).MaskedKWay, out _);
        var single = new SemanticIdTable(new[] { new[] { 0, 0, 0 }, new[] { 1, 2, 3 } }, new[] { 16, 16, 16 });

        float[] quantized = model.QuantizedVectors(single);

        // Each ID's vector is the mean of the rows of its codes; the ID 0,0,0 differs from 1,2,3 unless codebooks collapsed.
        quantized.Should().HaveCount(2 * 8);
        quantized.Take(8).Should().NotEqual(quantized.Skip(8));
        model.Invoking(m => m.QuantizedVectors(new SemanticIdTable(new[] { new[] { 0, 16, 0 } }, new[] { 16, 17, 16 })))
            .Should().Throw<ArgumentException>().WithMessage("*code 16 in way 1*");
    }

    [Fact]
    public void SaveAndLoadKeepIdsAndTokenizeUnseenKeysFromContent()
    {
        var ml = new MLContext(seed: 1);
        float[] vectors = RqVaeTestData.Default(out _);
        IDataView table = ItemTable(ml, vectors, Items);
        using SemanticIdTokenizerTransformer transformer = new SemanticIdTokenizerEstimator(ml, KWayOptions()).Fit(table);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-kway-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, table.Schema, path);
            ModelBlobCache.Clear(); // the loaded chain must rebuild the K-way network from the zip alone
            var fresh = new MLContext(seed: 5);
            ITransformer loaded = fresh.Model.Load(path, out _);

            Read(loaded.Transform(ItemTable(fresh, vectors, Items))).Should().BeEquivalentTo(Read(transformer.Transform(table)), o => o.WithStrictOrdering());

            float[] newVectors = RqVaeTestData.Clustered(5, Dimension, 12, 0.3, 9, out _);
            var fromContent = Read(loaded.Transform(ItemTable(fresh, newVectors, 5, unseenKeys: true)));
            SemanticIdTable expected = transformer.MaskedKWayModel!.Encode(newVectors, 5);
            float[] expectedQuantized = transformer.MaskedKWayModel.QuantizedVectors(expected);
            for (int i = 0; i < 5; i++)
            {
                fromContent[i].Codes.Should().Equal(expected.GetCodes(i));
                fromContent[i].Quantized.Should().Equal(expectedQuantized.AsSpan(i * 8, 8).ToArray());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UsersGetIdsFromTheirCollaborativeEmbeddings()
    {
        var ml = new MLContext(seed: 1);
        SyntheticCatalog catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 200, ItemCount = 80, Seed = 3 });
        var cfOptions = new CollaborativeEmbeddingOptions { Model = CollaborativeModelKind.MatrixFactorization, Dimension = 16, NumberOfEpochs = 3, BatchSize = 512, EarlyStoppingPatience = 0 };
        using CollaborativeEmbeddingTransformer cf = ml.GenerativeRecommendation().CollaborativeEmbedding(cfOptions).Fit(catalog.Dataset.ToDataView(ml));
        float[] userEmbeddings = cf.Model.UserEmbeddings.ToArray();
        int users = cf.Model.UserCount;
        IDataView userTable = KeyedVectors(ml, userEmbeddings, users, cf.Model.Dimension, users, "UserId", "UserEmbedding");

        using SemanticIdTokenizerTransformer userTokenizer = new SemanticIdTokenizerEstimator(ml, KWayOptions("UserId", "UserEmbedding")).Fit(userTable);

        var ids = Read(userTokenizer.Transform(userTable));
        ids.Should().HaveCount(users).And.OnlyContain(r => r.Codes.Length == 3 && r.Codes.All(c => c >= 0 && c < 16));
        userTokenizer.MaskedKWayModel!.Encode(userEmbeddings, users).AllCodes.ToArray().Should().Equal(userTokenizer.Codes.AllCodes.ToArray());
    }

    [Fact]
    public void BadOptionsAndTooFewItemsAreRejectedWithTheirNames()
    {
        var ml = new MLContext(seed: 1);
        var withCf = KWayOptions();
        withCf.CollaborativeColumnName = "Cf";
        ml.Invoking(m => new SemanticIdTokenizerEstimator(m, withCf)).Should().Throw<ArgumentException>().WithMessage("*CollaborativeColumnName*");

        var badMask = KWayOptions();
        badMask.MaskedKWay.MaskRatio = 1.5;
        ml.Invoking(m => new SemanticIdTokenizerEstimator(m, badMask)).Should().Throw<ArgumentException>().WithMessage("*MaskRatio*");

        float[] vectors = RqVaeTestData.Clustered(10, Dimension, 3, 0.3, 7, out _);
        IDataView tiny = KeyedVectors(ml, vectors, 10, Dimension, 10, "ItemId", "Features");
        new SemanticIdTokenizerEstimator(ml, KWayOptions()).Invoking(e => e.Fit(tiny))
            .Should().Throw<ArgumentException>().WithMessage("*10 vectors are fewer than CodebookSize = 16*");
    }

    private sealed class KeyedRow
    {
        public uint Key;
        public float[] Vector = Array.Empty<float>();
    }
}
