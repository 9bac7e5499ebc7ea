using FluentAssertions;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tests.Tokenization.RqVae;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization;

public sealed class SemanticIdTokenizerEstimatorTests
{
    private const int Items = RqVaeTestData.Items;
    private const int Dimension = RqVaeTestData.Dimension;

    private static SemanticIdTokenizerOptions Options(int epochs = 6) => new()
    {
        RqVae = ApplyCollisions(RqVaeTestData.SmallOptions(epochs)),
    };

    private static RqVaeOptions ApplyCollisions(RqVaeOptions options)
    {
        options.CollisionHandling = CollisionHandling.SinkhornReassign;
        return options;
    }

    private static IDataView ItemTable(MLContext ml, float[] vectors, int count, uint firstKey = 1, bool keyZero = false)
    {
        var rows = new List<ItemRow>();
        for (int i = 0; i < count; i++)
        {
            rows.Add(new ItemRow { ItemId = keyZero ? 0 : firstKey + (uint)i - 1, Features = vectors.AsSpan(i * Dimension, Dimension).ToArray() });
        }

        var schema = SchemaDefinition.Create(typeof(ItemRow));
        schema[nameof(ItemRow.ItemId)].ColumnType = new KeyDataViewType(typeof(uint), Items);
        schema[nameof(ItemRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        // LoadFromEnumerable exposes a key member as value + 1, so 0-based indices become keys 1..Items;
        // uint.MaxValue wraps to key 0 (ML.NET's "unseen").
        foreach (var row in rows)
        {
            row.ItemId = keyZero ? uint.MaxValue : row.ItemId;
        }

        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static List<(uint[] Codes, float[] Quantized)> Read(IDataView output)
    {
        var codes = output.GetColumn<VBuffer<uint>>("SemanticId").Select(v => v.DenseValues().ToArray()).ToList();
        var quantized = output.GetColumn<VBuffer<float>>("QuantizedVector").Select(v => v.DenseValues().ToArray()).ToList();
        return codes.Zip(quantized).ToList();
    }

    [Fact]
    public void TheDefaultRegularizersFitWithoutACfColumnAndOnASmallCodebook()
    {
        // Both LETTER regularizers are on by default. A pipeline with no CF column and a codebook of 16 codes (fewer
        // than twice LETTER's 10 diversity clusters), like the README's, must still fit: the collaborative weight is
        // skipped and the diversity regularizer uses 8 clusters, each with a warning in the log.
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) { lock (warnings) { warnings.Add(e.Message); } } };
        RqVaeOptions rqVae = Options(epochs: 3).RqVae;
        var defaults = new RqVaeOptions();
        (rqVae.CollaborativeWeight, rqVae.DiversityWeight, rqVae.DiversityClusters) = (defaults.CollaborativeWeight, defaults.DiversityWeight, defaults.DiversityClusters);
        var options = new SemanticIdTokenizerOptions { RqVae = rqVae };
        options.CollaborativeColumnName.Should().BeNull();

        float[] vectors = RqVaeTestData.Default(out _);
        using var transformer = ml.GenerativeRecommendation().SemanticIdTokenizer(options).Fit(ItemTable(ml, vectors, Items));

        transformer.Codes.ItemCount.Should().Be(Items);
        transformer.Statistics.CollisionRate.Should().Be(0);
        warnings.Should().Contain(m => m.Contains("no CF embeddings were given")).And.Contain(m => m.Contains("uses 8"));
    }

    [Fact]
    public void FitGivesEveryItemAUniqueIdAndStatistics()
    {
        var ml = new MLContext(seed: 1);
        float[] vectors = RqVaeTestData.Default(out _);
        using var transformer = ml.GenerativeRecommendation().SemanticIdTokenizer(Options()).Fit(ItemTable(ml, vectors, Items));

        var rows = Read(transformer.Transform(ItemTable(ml, vectors, Items)));
        rows.Should().HaveCount(Items);
        rows.Select(r => string.Join(",", r.Codes)).Should().OnlyHaveUniqueItems();
        rows.Should().OnlyContain(r => r.Codes.Length == transformer.Codes.Levels && r.Quantized.Length == 8);
        for (int item = 0; item < Items; item++)
        {
            rows[item].Codes.Select(c => (int)c).Should().Equal(transformer.Codes.GetCodes(item));
        }

        transformer.Statistics.CollisionRate.Should().Be(0);
        transformer.Statistics.ItemCount.Should().Be(Items);
    }

    [Fact]
    public void SaveAndLoadKeepIdsAndTokenizeNewItemsFromContent()
    {
        var ml = new MLContext(seed: 1);
        float[] vectors = RqVaeTestData.Default(out _);
        IDataView table = ItemTable(ml, vectors, Items);
        using var transformer = new SemanticIdTokenizerEstimator(ml, Options()).Fit(table);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-tok-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, table.Schema, path);
            ModelBlobCache.Clear(); // the loaded chain must rebuild the RQ-VAE encoder from the zip alone
            var fresh = new MLContext(seed: 5);
            ITransformer loaded = fresh.Model.Load(path, out _);

            Read(loaded.Transform(ItemTable(fresh, vectors, Items))).Should().BeEquivalentTo(Read(transformer.Transform(table)), o => o.WithStrictOrdering());

            // New items (key 0 = not in the key mapping) are tokenized from their content vector, no retraining.
            float[] newVectors = RqVaeTestData.Clustered(5, Dimension, 12, 0.3, 7, out _);
            var fromContent = Read(loaded.Transform(ItemTable(fresh, newVectors, 5, keyZero: true)));
            SemanticIdTable expected = transformer.Model!.Encode(newVectors, 5);
            for (int i = 0; i < 5; i++)
            {
                fromContent[i].Codes.Select(c => (int)c).Should().Equal(expected.GetCodes(i));
                fromContent[i].Quantized.Should().HaveCount(8);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SameSeedGivesTheSameIds()
    {
        float[] vectors = RqVaeTestData.Default(out _);
        SemanticIdTable Train(int seed)
        {
            var ml = new MLContext(seed: seed);
            var options = Options(epochs: 3);
            options.RqVae.Seed = null; // seed from the MLContext
            using var t = new SemanticIdTokenizerEstimator(ml, options).Fit(ItemTable(ml, vectors, Items));
            return t.Codes;
        }

        int[] first = Train(3).AllCodes.ToArray();
        Train(3).AllCodes.ToArray().Should().Equal(first);
        Train(4).AllCodes.ToArray().Should().NotEqual(first, "a different MLContext seed is a different run");
    }

    [Fact]
    public void NaNContentIsRejectedWithRowAndColumn()
    {
        var ml = new MLContext(seed: 1);
        float[] vectors = RqVaeTestData.Default(out _);
        vectors[5 * Dimension + 2] = float.NaN;

        Action fit = () => new SemanticIdTokenizerEstimator(ml, Options()).Fit(ItemTable(ml, vectors, Items));

        fit.Should().Throw<ArgumentException>().WithMessage("Row 6: column 'Features' has NaN at position 2*");
    }

    [Fact]
    public void MissingItemsAndWrongColumnTypesAreRejected()
    {
        var ml = new MLContext(seed: 1);
        float[] vectors = RqVaeTestData.Default(out _);
        var estimator = new SemanticIdTokenizerEstimator(ml, Options());

        estimator.Invoking(e => e.Fit(ItemTable(ml, vectors, Items - 10))).Should().Throw<ArgumentException>().WithMessage("*10 have no row*");
        IDataView strings = ml.Data.LoadFromEnumerable(new[] { new { ItemId = "a", Features = 1f } });
        estimator.Invoking(e => e.Fit(strings)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'ItemId' must be a UInt32 key column*");
    }

    [Fact]
    public void ImportedCodesServeThroughTheSameTransformerAndSurviveSaveLoad()
    {
        var ml = new MLContext(seed: 1);
        var codes = new SemanticIdTable(Enumerable.Range(0, Items).Select(i => new[] { i % 4, i % 7, i }).ToArray(), new[] { 4, 7, Items });
        float[] vectors = RqVaeTestData.Default(out _);
        IDataView table = ItemTable(ml, vectors, Items);
        using var transformer = SemanticIdTokenizerTransformer.FromCodes(ml, codes, table);
        string path = Path.Combine(Path.GetTempPath(), $"genrec-tok-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, table.Schema, path);
            ITransformer loaded = new MLContext(seed: 2).Model.Load(path, out _);
            var ids = loaded.Transform(table).GetColumn<VBuffer<uint>>("SemanticId").Select(v => v.DenseValues().Select(c => (int)c).ToArray()).ToList();
            for (int item = 0; item < Items; item++)
            {
                ids[item].Should().Equal(codes.GetCodes(item));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ItemRow
    {
        public uint ItemId;
        public float[] Features = Array.Empty<float>();
    }
}
