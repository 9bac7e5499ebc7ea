using FluentAssertions;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Text;

public sealed class TextToDenseVectorTests
{
    private static readonly string[] Catalog =
    {
        "red running shoes for men",
        "blue running shoes for women",
        "lightweight trail running shoes",
        "stainless steel chef knife",
        "kitchen knife with wooden handle",
        "ceramic paring knife for the kitchen",
        "wireless bluetooth headphones",
        "noise cancelling over ear headphones",
        "sports earbuds with bluetooth",
        "organic green tea leaves",
        "black tea with bergamot",
        "herbal tea sampler box",
    };

    [Fact]
    public void Output_IsAUnitLengthVectorOfTheRequestedDimension()
    {
        var ml = new MLContext(1);
        var options = new TextVectorOptions { Dimension = 8 };

        var output = Fit(ml, options, Catalog).Transform(Texts(ml, Catalog));

        output.Schema["Vector"].Type.Should().BeOfType<VectorDataViewType>().Which.Should().Match<VectorDataViewType>(t => t.Size == 8 && t.ItemType == NumberDataViewType.Single);
        output.Schema.Select(c => c.Name).Should().BeEquivalentTo("Text", "Vector");
        foreach (float[] vector in output.GetColumn<float[]>("Vector"))
        {
            Math.Sqrt(vector.Sum(x => x * x)).Should().BeApproximately(1.0, 1e-4);
        }
    }

    [Fact]
    public void SimilarTexts_AreCloserThanUnrelatedOnes()
    {
        var ml = new MLContext(1);
        var transformer = Fit(ml, new TextVectorOptions { Dimension = 8 }, Catalog);

        float[][] v = Vectors(transformer, ml, "red running shoes", "blue running shoes", "stainless steel knife", "green tea leaves", "bluetooth headphones");

        Cosine(v[0], v[1]).Should().BeGreaterThan(Cosine(v[0], v[2]) + 0.2);
        Cosine(v[0], v[1]).Should().BeGreaterThan(Cosine(v[0], v[3]) + 0.2);
        Cosine(v[0], v[1]).Should().BeGreaterThan(Cosine(v[0], v[4]) + 0.2);
    }

    [Fact]
    public void NearestNeighbours_OfSyntheticItemTitles_ShareTheirCategoryFarMoreOftenThanChance()
    {
        // Titles only ("<Brand> <Attribute(s)> <Noun>"), without the category path the full item text carries.
        var catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { Seed = 5, UserCount = 50, ItemCount = 400 });
        var ml = new MLContext(1);
        string[] titles = catalog.ItemTitles.ToArray();
        float[][] v = Vectors(Fit(ml, new TextVectorOptions { Dimension = 32 }, titles), ml, titles);

        int agree = 0;
        for (int i = 0; i < v.Length; i++)
        {
            int nearest = Enumerable.Range(0, v.Length).Where(j => j != i).MaxBy(j => Cosine(v[i], v[j]));
            agree += catalog.ItemCategory[nearest] == catalog.ItemCategory[i] ? 1 : 0;
        }

        // Chance is 1/8 with the default eight categories; the projection keeps almost all of the title signal.
        catalog.CategoryNames.Should().HaveCount(8);
        ((double)agree / v.Length).Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void SameSeed_GivesIdenticalVectors()
    {
        float[][] first = Vectors(Fit(new MLContext(7), new TextVectorOptions { Dimension = 6 }, Catalog), new MLContext(7), Catalog);
        float[][] second = Vectors(Fit(new MLContext(7), new TextVectorOptions { Dimension = 6 }, Catalog), new MLContext(7), Catalog);
        float[][] optionSeed = Vectors(Fit(new MLContext(1), new TextVectorOptions { Dimension = 6, Seed = 3 }, Catalog), new MLContext(1), Catalog);
        float[][] optionSeedAgain = Vectors(Fit(new MLContext(2), new TextVectorOptions { Dimension = 6, Seed = 3 }, Catalog), new MLContext(2), Catalog);
        float[][] otherContextSeed = Vectors(Fit(new MLContext(8), new TextVectorOptions { Dimension = 6 }, Catalog), new MLContext(8), Catalog);
        float[][] otherOptionSeed = Vectors(Fit(new MLContext(1), new TextVectorOptions { Dimension = 6, Seed = 4 }, Catalog), new MLContext(1), Catalog);

        for (int i = 0; i < Catalog.Length; i++)
        {
            second[i].Should().Equal(first[i]);
            optionSeedAgain[i].Should().Equal(optionSeed[i]);
        }

        otherContextSeed.SelectMany(v => v).Should().NotEqual(first.SelectMany(v => v), "a different MLContext seed is a different projection");
        otherOptionSeed.SelectMany(v => v).Should().NotEqual(optionSeed.SelectMany(v => v), "a different option seed is a different projection");
    }

    [Fact]
    public void SavedAndReloadedModel_GivesIdenticalVectors()
    {
        var ml = new MLContext(1);
        var data = Texts(ml, Catalog);
        var transformer = Fit(ml, new TextVectorOptions { Dimension = 8 }, Catalog);
        string zip = Path.Combine(Path.GetTempPath(), $"genrec-textvec-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, data.Schema, zip);
            var fresh = new MLContext(42);
            var loaded = fresh.Model.Load(zip, out _);

            float[][] before = Vectors(transformer, ml, "unseen running shoes", "a knife");
            float[][] after = Vectors(loaded, fresh, "unseen running shoes", "a knife");
            after[0].Should().Equal(before[0]);
            after[1].Should().Equal(before[1]);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Fact]
    public void InsideALargerPipeline_ItsOutputSchemaPropagates()
    {
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.CopyColumns("Title", "Text")
            .Append(ContentVectorizers.TextToDenseVector(ml, "Vector", "Title", new TextVectorOptions { Dimension = 5 }))
            .Append(ml.Transforms.CopyColumns("Content", "Vector"));

        var output = pipeline.Fit(Texts(ml, Catalog)).Transform(Texts(ml, Catalog));

        output.Schema["Content"].Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(5);
    }

    [Fact]
    public void NormalizeOff_KeepsThePrincipalComponentScale()
    {
        var ml = new MLContext(1);
        var transformer = Fit(ml, new TextVectorOptions { Dimension = 4, Normalize = false }, Catalog);

        Vectors(transformer, ml, Catalog).Select(v => Math.Sqrt(v.Sum(x => x * x)))
            .Should().Contain(norm => Math.Abs(norm - 1.0) > 1e-2);
    }

    [Fact]
    public void MissingOrNonTextInputColumn_IsReportedByName()
    {
        var ml = new MLContext(1);
        var estimator = ContentVectorizers.TextToDenseVector(ml, "Vector", "Title");
        var numbers = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Title = 1f } });

        estimator.Invoking(e => e.Fit(Texts(ml, Catalog))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Title'*Text*");
        estimator.Invoking(e => e.Fit(numbers)).Should().Throw<ArgumentException>().WithMessage("*'Title'*text*Single*");
    }

    [Fact]
    public void InvalidOptions_AreRejectedWhenTheEstimatorIsCreated()
    {
        var ml = new MLContext(1);

        FluentActions.Invoking(() => ContentVectorizers.TextToDenseVector(ml, "V", "Text", new TextVectorOptions { Dimension = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(TextVectorOptions.Dimension));
        FluentActions.Invoking(() => ContentVectorizers.TextToDenseVector(ml, "V", "Text", new TextVectorOptions { WordNgramLength = 0, CharNgramLength = 0 }))
            .Should().Throw<ArgumentException>();
    }

    [Fact]
    public void DimensionAboveTheNumberOfFeatures_IsExplainedInTermsOfTheOptions()
    {
        var ml = new MLContext(1);
        var tiny = Texts(ml, new[] { "ab", "cd" });

        ContentVectorizers.TextToDenseVector(ml, "V", "Text").Invoking(e => e.Fit(tiny))
            .Should().Throw<ArgumentException>().WithParameterName(nameof(TextVectorOptions.Dimension)).WithMessage("*Dimension (64)*");
    }

    private static ITransformer Fit(MLContext ml, TextVectorOptions options, string[] texts) =>
        ContentVectorizers.TextToDenseVector(ml, "Vector", "Text", options).Fit(Texts(ml, texts));

    private static float[][] Vectors(ITransformer transformer, MLContext ml, params string[] texts) =>
        transformer.Transform(Texts(ml, texts)).GetColumn<float[]>("Vector").ToArray();

    private static IDataView Texts(MLContext ml, IEnumerable<string> texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(text => new TextRow { Text = text }));

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = string.Empty;
    }

    private sealed class NumberRow
    {
        public float Title { get; set; }
    }
}
