using FluentAssertions;
using GenRec.MLNet.Tests.Tokenization.RqVae;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.ResidualKMeans;

/// <summary>Residual k-means through <see cref="SemanticIdTokenizerEstimator"/>: Fit, Transform, Save, Load, new items.</summary>
public sealed class ResidualKMeansPipelineTests
{
    private const int Items = RqVaeTestData.Items;
    private const int Dimension = RqVaeTestData.Dimension;

    private static SemanticIdTokenizerOptions Options(bool fuse) => new()
    {
        Method = SemanticIdMethod.ResidualKMeans,
        CollaborativeColumnName = fuse ? "Cf" : null,
        ResidualKMeans = new ResidualKMeansOptions
        {
            Levels = 2, CodebookSize = 8, KMeansIterations = 20, Seed = 3, Normalization = InputNormalization.L2, CollaborativeWeight = 0.4,
        },
    };

    /// <summary>One row per item; with <paramref name="unseen"/> every key is 0 (the key mapping never saw the item).</summary>
    private static IDataView Table(MLContext ml, float[] content, float[] cf, bool unseen = false)
    {
        var rows = Enumerable.Range(0, Items).Select(i => new ItemRow
        {
            // LoadFromEnumerable exposes a key member as value + 1; uint.MaxValue wraps to key 0.
            ItemId = unseen ? uint.MaxValue : (uint)i,
            Features = content.AsSpan(i * Dimension, Dimension).ToArray(),
            Cf = cf.AsSpan(i * Dimension, Dimension).ToArray(),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(ItemRow));
        schema[nameof(ItemRow.ItemId)].ColumnType = new KeyDataViewType(typeof(uint), Items);
        schema[nameof(ItemRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        schema[nameof(ItemRow.Cf)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static int[][] Ids(IDataView output) =>
        output.GetColumn<VBuffer<uint>>("SemanticId").Select(v => v.DenseValues().Select(c => (int)c).ToArray()).ToArray();

    private static float[][] Quantized(IDataView output) =>
        output.GetColumn<VBuffer<float>>("QuantizedVector").Select(v => v.DenseValues().ToArray()).ToArray();

    private static int[][] Rows(SemanticIdTable table) => Enumerable.Range(0, table.ItemCount).Select(i => table[i].ToArray()).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SavedAndLoadedModelsServeTheTrainingCodesAndCodeNewItemsAsTraining(bool fuse)
    {
        var ml = new MLContext(seed: 1);
        float[] content = RqVaeTestData.Default(out _);
        float[] cf = RqVaeTestData.Clustered(Items, Dimension, 6, 0.3, 9, out _);
        IDataView known = Table(ml, content, cf), unseen = Table(ml, content, cf, unseen: true);
        using SemanticIdTokenizerTransformer fitted = ml.GenerativeRecommendation().SemanticIdTokenizer(Options(fuse)).Fit(known);
        ResidualKMeansModel model = fitted.ResidualKMeansModel!;
        model.IsFused.Should().Be(fuse);
        fitted.Model.Should().BeNull("no RQ-VAE was trained");
        fitted.TrainingResult.Should().BeNull("k-means has no training loop");
        fitted.Codes.AllCodes.ToArray().Should().Equal(model.Codes.AllCodes.ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"genrec-rqkmeans-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(fitted, known.Schema, path);
            ITransformer loaded = new MLContext(seed: 9).Model.Load(path, out _);

            int[][] expected = Rows(model.Codes);
            Ids(fitted.Transform(known)).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            Ids(loaded.Transform(known)).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            Quantized(loaded.Transform(known)).Should().BeEquivalentTo(Quantized(fitted.Transform(known)), o => o.WithStrictOrdering());
            // Rows the key mapping never saw are coded from their vectors, one row at a time: the training codes before
            // collision handling, in the fitted transformer and after the round trip.
            int[][] beforeResolution = Rows(model.CodesBeforeResolution);
            Ids(fitted.Transform(unseen)).Should().BeEquivalentTo(beforeResolution, o => o.WithStrictOrdering());
            Ids(loaded.Transform(unseen)).Should().BeEquivalentTo(beforeResolution, o => o.WithStrictOrdering());
            float[][] quantized = Quantized(loaded.Transform(unseen));
            float[] expectedQuantized = model.QuantizedVectors(model.CodesBeforeResolution);
            for (int item = 0; item < Items; item++)
            {
                quantized[item].Should().Equal(expectedQuantized.AsSpan(item * model.Hyperparameters.QuantizedDimension, model.Hyperparameters.QuantizedDimension).ToArray());
            }

            if (fuse)
            {
                // A new item the collaborative stage never saw has a zero CF vector: it is coded by its content alone.
                int[][] coldCodes = Ids(loaded.Transform(Table(ml, content, new float[Items * Dimension], unseen: true)));
                coldCodes.Should().BeEquivalentTo(Rows(model.Encode(content, Items)), o => o.WithStrictOrdering());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheEncoderBlobRoundTripsAndCodesAsTheTrainedModel()
    {
        var ml = new MLContext(seed: 1);
        float[] content = RqVaeTestData.Default(out _);
        SemanticIdTokenizerOptions options = Options(fuse: false);
        options.ResidualKMeans.Normalization = InputNormalization.Standardize;
        using SemanticIdTokenizerTransformer fitted = ml.GenerativeRecommendation().SemanticIdTokenizer(options).Fit(Table(ml, content, content));
        ResidualKMeansModel model = fitted.ResidualKMeansModel!;

        using var loaded = (ResidualKMeansModel)SemanticIdEncoderBlob.Load(SemanticIdEncoderBlob.Save(model));

        loaded.Encode(content, Items).AllCodes.ToArray().Should().Equal(model.CodesBeforeResolution.AllCodes.ToArray());
        loaded.GetCentroids(1).Should().Equal(model.GetCentroids(1));
        loaded.Hyperparameters.Should().BeEquivalentTo(model.Hyperparameters);
    }

    [Fact]
    public void NaNContentIsNamedByRow()
    {
        var ml = new MLContext(seed: 1);
        float[] content = RqVaeTestData.Default(out _);
        content[5 * Dimension] = float.NaN;

        FluentActions.Invoking(() => ml.GenerativeRecommendation().SemanticIdTokenizer(Options(fuse: false)).Fit(Table(ml, content, content)))
            .Should().Throw<ArgumentException>().WithMessage("*Row 6*'Features'*NaN*");
    }

    private sealed class ItemRow
    {
        public uint ItemId { get; set; }

        public float[] Features { get; set; } = Array.Empty<float>();

        public float[] Cf { get; set; } = Array.Empty<float>();
    }
}
