using FluentAssertions;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Text;

public sealed class OnnxSentenceEncoderTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void MeanPooling_AveragesTheEmbeddingRowsOfTheRealTokensOnly()
    {
        using var files = new EncoderFiles();
        var options = Options(files, files.WriteModel());
        options.Normalize = false;

        float[][] vectors = Encode(new MLContext(1), options, "Red running shoes", "Kitchen knifes", "purple chef");

        // Lower-cased, WordPiece-split ("knifes" = knife ##s), unknown words as [UNK]; [CLS] and [SEP] count, padding does not.
        vectors[0].Should().Equal(files.Mean("[CLS]", "red", "running", "shoes", "[SEP]"), Close);
        vectors[1].Should().Equal(files.Mean("[CLS]", "kitchen", "knife", "##s", "[SEP]"), Close);
        vectors[2].Should().Equal(files.Mean("[CLS]", "[UNK]", "chef", "[SEP]"), Close);
    }

    [Fact]
    public void Normalize_ScalesTheMeanToUnitLength()
    {
        using var files = new EncoderFiles();
        float[] vector = Encode(new MLContext(1), Options(files, files.WriteModel()), "blue steel knife")[0];

        vector.Should().Equal(EncoderFiles.Unit(files.Mean("[CLS]", "blue", "steel", "knife", "[SEP]")), Close);
        Math.Sqrt(vector.Sum(x => x * x)).Should().BeApproximately(1.0, 1e-5);
    }

    [Fact]
    public void ClsPooling_TakesTheStateOfTheFirstToken()
    {
        using var files = new EncoderFiles();
        var options = Options(files, files.WriteModel());
        options.Pooling = SentencePooling.Cls;
        options.Normalize = false;

        float[][] vectors = Encode(new MLContext(1), options, "red shoes", "chef knife");

        vectors.Should().AllSatisfy(v => v.Should().Equal(files.Row("[CLS]"), Close));
    }

    [Fact]
    public void NonePooling_ReadsAnAlreadyPooledOutput()
    {
        using var files = new EncoderFiles();
        var options = Options(files, files.WriteModel(configure: s => s with { WithSentenceEmbedding = true }));
        options.OutputName = "sentence_embedding";
        options.Pooling = SentencePooling.None;
        options.Normalize = false;

        Encode(new MLContext(1), options, "red shoes")[0].Should().Equal(files.Row("[CLS]"), Close);
    }

    [Fact]
    public void MaxTokens_TruncatesBeforeSepAndTheOutputHasTheHiddenSize()
    {
        using var files = new EncoderFiles();
        var options = Options(files, files.WriteModel());
        options.MaxTokens = 4;
        options.Normalize = false;
        var ml = new MLContext(1);

        var output = ContentVectorizers.OnnxSentenceEncoder(ml, "Vector", "Text", options).Fit(Texts(ml, "x")).Transform(Texts(ml, "red running shoes"));

        output.Schema["Vector"].Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(EncoderFiles.Hidden);
        output.GetColumn<float[]>("Vector").Single().Should().Equal(files.Mean("[CLS]", "red", "running", "[SEP]"), Close);
        output.Schema.Select(c => c.Name).Should().BeEquivalentTo("Text", "Vector");
    }

    [Fact]
    public void InsideALargerPipeline_ItsOutputSchemaPropagates()
    {
        using var files = new EncoderFiles();
        var ml = new MLContext(1);
        var pipeline = ml.Transforms.CopyColumns("Title", "Text")
            .Append(ContentVectorizers.OnnxSentenceEncoder(ml, "Vector", "Title", Options(files, files.WriteModel())))
            .Append(ml.Transforms.CopyColumns("Content", "Vector"));

        var output = pipeline.Fit(Texts(ml, "red shoes")).Transform(Texts(ml, "red shoes"));

        output.Schema["Content"].Type.Should().BeOfType<VectorDataViewType>().Which.Size.Should().Be(EncoderFiles.Hidden);
    }

    [Fact]
    public void ModelWithInt32InputIdsOnly_IsFedWhatItDeclares()
    {
        using var files = new EncoderFiles();
        string model = files.WriteModel(configure: s => s with { Int32Inputs = true, WithAttentionMask = false, WithTokenTypes = false });
        var options = Options(files, model);
        options.Normalize = false;

        Encode(new MLContext(1), options, "steel knife")[0].Should().Equal(files.Mean("[CLS]", "steel", "knife", "[SEP]"), Close);
    }

    [Fact]
    public void SavedAndReloadedChain_GivesIdenticalVectors_WithoutTheOnnxFile()
    {
        // Quotes, spaces and the settings separator in the folder name exercise the settings column's escaping.
        using var files = new EncoderFiles("vocab \"dir\" | x");
        string modelPath = files.WriteModel();
        var ml = new MLContext(3);
        var data = Texts(ml, "red running shoes", "chef knife", "blue kitchen steel");
        var fitted = ContentVectorizers.OnnxSentenceEncoder(ml, "Vector", "Text", Options(files, modelPath)).Fit(data);
        float[][] before = fitted.Transform(data).GetColumn<float[]>("Vector").ToArray();
        string zip = Path.Combine(files.Root, "encoder.zip");
        ml.Model.Save(fitted, data.Schema, zip);
        File.Delete(modelPath); // the ONNX bytes travel inside the zip

        var fresh = new MLContext(99);
        fresh.ComponentCatalog.RegisterAssembly(typeof(ContentVectorizers).Assembly);
        var loaded = fresh.Model.Load(zip, out _);
        float[][] after = loaded.Transform(Texts(fresh, "red running shoes", "chef knife", "blue kitchen steel")).GetColumn<float[]>("Vector").ToArray();

        after.Should().HaveCount(3);
        for (int i = 0; i < before.Length; i++)
        {
            after[i].Should().Equal(before[i]);
        }
    }

    [Fact]
    public void VocabularyRemovedAfterSaving_FailsOnTheFirstRowNamingThePath()
    {
        using var files = new EncoderFiles();
        string vocabulary = Path.Combine(files.Folder, "moved-vocab.txt");
        File.Copy(files.VocabularyPath, vocabulary);
        var options = Options(files, files.WriteModel());
        options.VocabularyPath = vocabulary;
        var ml = new MLContext(1);
        var data = Texts(ml, "red");
        var fitted = ContentVectorizers.OnnxSentenceEncoder(ml, "Vector", "Text", options).Fit(data);
        string zip = Path.Combine(files.Root, "encoder.zip");
        ml.Model.Save(fitted, data.Schema, zip);
        File.Delete(vocabulary);

        var loaded = new MLContext(1).Model.Load(zip, out _);
        var act = () => loaded.Transform(data).GetColumn<float[]>("Vector").ToArray();

        var thrown = act.Should().Throw<Exception>().Which;
        var notFound = Flatten(thrown).OfType<FileNotFoundException>().Should().ContainSingle().Subject;
        notFound.FileName.Should().Be(Path.GetFullPath(vocabulary));
        notFound.Message.Should().Contain(Path.GetFullPath(vocabulary));
    }

    [Fact]
    public void MissingModelFile_ThrowsFileNotFoundNamingThePath()
    {
        using var files = new EncoderFiles();
        string missing = Path.Combine(files.Folder, "nope.onnx");

        var act = () => ContentVectorizers.OnnxSentenceEncoder(new MLContext(1), "Vector", "Text", Options(files, missing));

        act.Should().Throw<FileNotFoundException>().Where(e => e.FileName == missing && e.Message.Contains(missing));
    }

    [Fact]
    public void MissingVocabularyFile_ThrowsFileNotFoundNamingThePath()
    {
        using var files = new EncoderFiles();
        var options = Options(files, files.WriteModel());
        options.VocabularyPath = Path.Combine(files.Folder, "missing-vocab.txt");

        var act = () => ContentVectorizers.OnnxSentenceEncoder(new MLContext(1), "Vector", "Text", options);

        act.Should().Throw<FileNotFoundException>()
            .Where(e => e.FileName == options.VocabularyPath && e.Message.Contains(options.VocabularyPath));
    }

    [Fact]
    public void ModelSignatureMismatches_AreReportedWithTheModelsNames()
    {
        using var files = new EncoderFiles();
        var extraInput = Options(files, files.WriteModel("extra.onnx", s => s with { ExtraInput = "pixel_values" }));
        var wrongOutput = Options(files, files.WriteModel());
        wrongOutput.OutputName = "pooler_output";
        var perTokenWithoutPooling = Options(files, files.WriteModel());
        perTokenWithoutPooling.Pooling = SentencePooling.None;
        var ml = new MLContext(1);

        FluentActions.Invoking(() => ContentVectorizers.OnnxSentenceEncoder(ml, "V", "Text", extraInput))
            .Should().Throw<ArgumentException>().WithMessage("*pixel_values*");
        FluentActions.Invoking(() => ContentVectorizers.OnnxSentenceEncoder(ml, "V", "Text", wrongOutput))
            .Should().Throw<ArgumentException>().WithMessage("*pooler_output*last_hidden_state*");
        FluentActions.Invoking(() => ContentVectorizers.OnnxSentenceEncoder(ml, "V", "Text", perTokenWithoutPooling))
            .Should().Throw<ArgumentException>().WithMessage("*Pooling = Mean or Cls*");
    }

    [Fact]
    public void MissingOrNonTextInputColumn_IsReportedByName()
    {
        using var files = new EncoderFiles();
        var ml = new MLContext(1);
        var estimator = ContentVectorizers.OnnxSentenceEncoder(ml, "Vector", "Title", Options(files, files.WriteModel()));
        var numbers = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Title = 1f } });

        estimator.Invoking(e => e.Fit(Texts(ml, "red"))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Title'*");
        estimator.Invoking(e => e.Fit(numbers)).Should().Throw<ArgumentException>().WithMessage("*'Title'*text*");
        // Inside a chain the check runs in GetOutputSchema, before anything is fitted.
        FluentActions.Invoking(() => new EstimatorChain<ITransformer>().Append(estimator).Fit(numbers))
            .Should().Throw<ArgumentException>().WithMessage("*'Title'*text*");
    }

    [Fact]
    public void InvalidMaxTokens_IsRejected()
    {
        using var files = new EncoderFiles();
        var options = Options(files, files.WriteModel());
        options.MaxTokens = 513;

        FluentActions.Invoking(() => ContentVectorizers.OnnxSentenceEncoder(new MLContext(1), "V", "Text", options))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(OnnxSentenceEncoderOptions.MaxTokens));
    }

    private static OnnxSentenceEncoderOptions Options(EncoderFiles files, string modelPath) => new()
    {
        ModelPath = modelPath,
        VocabularyPath = files.VocabularyPath,
        MaxTokens = 16,
    };

    private static float[][] Encode(MLContext ml, OnnxSentenceEncoderOptions options, params string[] texts)
    {
        var data = Texts(ml, texts);
        return ContentVectorizers.OnnxSentenceEncoder(ml, "Vector", "Text", options).Fit(data).Transform(data)
            .GetColumn<float[]>("Vector").ToArray();
    }

    private static IDataView Texts(MLContext ml, params string[] texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(text => new TextRow { Text = text }));

    private static bool Close(float actual, float expected) => Math.Abs(actual - expected) <= Tolerance * Math.Max(1f, Math.Abs(expected));

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
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
