using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Builds the sentence encoder as a chain of stock ML.NET transforms, every one of which ML.NET saves and reloads:
/// <list type="number">
/// <item>CopyColumns + Expression: the text and a constant column holding the tokenizer settings
/// (<see cref="BertTokenizerSpec"/>) — the Expression's text is saved, so the settings are too;</item>
/// <item>CustomMapping (contract per window length): WordPiece ids, attention mask and segment ids;</item>
/// <item>CopyColumns / ConvertType: the ids under the model's input names and element type;</item>
/// <item>ApplyOnnxModel: the user's encoder, with a shape dictionary fixing batch 1 and the window length;</item>
/// <item>ApplyOnnxModel: a generated pooling/normalization graph (<see cref="SentencePoolingGraph"/>);</item>
/// <item>CopyColumns + DropColumns: the result under the requested name, temporaries removed.</item>
/// </list>
/// </summary>
internal static class OnnxSentenceEncoderChain
{
    public static IEstimator<ITransformer> Create(MLContext mlContext, string outputColumnName, string inputTextColumnName, OnnxSentenceEncoderOptions options)
    {
        int window = BertTokenWindows.WindowFor(options.MaxTokens);
        var model = ModelSignature.Read(options);
        var spec = new BertTokenizerSpec(Path.GetFullPath(options.VocabularyPath), options.MaxTokens, options.LowerCase);

        var temporaries = new List<string>
        {
            BertTokenWindows.TextColumn, BertTokenWindows.SpecColumn, BertTokenWindows.InputIdsColumn,
            BertTokenWindows.AttentionMaskColumn, BertTokenWindows.TokenTypeIdsColumn, options.OutputName, SentencePoolingGraph.OutputName,
        };

        var chain = new EstimatorChain<ITransformer>()
            .Append<ITransformer>(mlContext.Transforms.CopyColumns(BertTokenWindows.TextColumn, inputTextColumnName))
            .Append<ITransformer>(mlContext.Transforms.Expression(BertTokenWindows.SpecColumn, $"text => {spec.ToExpressionLiteral()}", BertTokenWindows.TextColumn))
            .Append<ITransformer>(BertTokenizeFactories.Create(mlContext, options.MaxTokens));

        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name, source, isInt32) in model.Inputs)
        {
            chain = chain.Append(isInt32
                ? (IEstimator<ITransformer>)mlContext.Transforms.Conversion.ConvertType(name, source, DataKind.Int32)
                : mlContext.Transforms.CopyColumns(name, source));
            shapes[name] = new[] { 1, window };
            temporaries.Add(name);
        }

        shapes[options.OutputName] = options.Pooling == SentencePooling.None ? new[] { 1, model.HiddenSize } : new[] { 1, window, model.HiddenSize };
        chain = chain.Append<ITransformer>(mlContext.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = options.ModelPath,
            InputColumns = model.Inputs.Select(input => input.Name).ToArray(),
            OutputColumns = new[] { options.OutputName },
            ShapeDictionary = shapes,
        }));

        byte[] pooling = SentencePoolingGraph.Create(options.Pooling, options.Normalize, window, model.HiddenSize, options.OutputName, BertTokenWindows.AttentionMaskColumn);
        string[] poolingInputs = options.Pooling == SentencePooling.Mean
            ? new[] { options.OutputName, BertTokenWindows.AttentionMaskColumn }
            : new[] { options.OutputName };
        chain = chain.Append<ITransformer>(mlContext.Transforms.ApplyOnnxModel(new[] { SentencePoolingGraph.OutputName }, poolingInputs, new MemoryStream(pooling), gpuDeviceId: null, fallbackToCpu: false))
            .Append<ITransformer>(mlContext.Transforms.CopyColumns(outputColumnName, SentencePoolingGraph.OutputName));

        // Never drop what the caller named: their text column, or an output they asked to overwrite.
        string[] drop = temporaries.Distinct(StringComparer.Ordinal)
            .Where(name => name != outputColumnName && name != inputTextColumnName)
            .ToArray();
        return chain.Append<ITransformer>(mlContext.Transforms.DropColumns(drop));
    }

    /// <summary>What the chain needs to know about the ONNX model: which token inputs it takes and its hidden size.</summary>
    private sealed record ModelSignature(IReadOnlyList<(string Name, string Source, bool IsInt32)> Inputs, int HiddenSize)
    {
        public static ModelSignature Read(OnnxSentenceEncoderOptions options)
        {
            // A session only to read the signature; ML.NET opens its own when the ONNX transform is built.
            using var session = new InferenceSession(options.ModelPath);
            var sources = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [options.InputIdsName] = BertTokenWindows.InputIdsColumn,
                [options.AttentionMaskName] = BertTokenWindows.AttentionMaskColumn,
                [options.TokenTypeIdsName] = BertTokenWindows.TokenTypeIdsColumn,
            };

            var inputs = new List<(string, string, bool)>();
            foreach (var (name, metadata) in session.InputMetadata)
            {
                if (!sources.TryGetValue(name, out string? source))
                {
                    throw new ArgumentException(
                        $"The ONNX model '{options.ModelPath}' takes an input '{name}' that is none of {options.InputIdsName}, {options.AttentionMaskName}, {options.TokenTypeIdsName}; "
                        + "set InputIdsName, AttentionMaskName or TokenTypeIdsName to the model's input names.", nameof(options));
                }

                if (metadata.ElementType != typeof(long) && metadata.ElementType != typeof(int))
                {
                    throw new ArgumentException($"The ONNX model input '{name}' holds {metadata.ElementType.Name}; token inputs must be int64 or int32.", nameof(options));
                }

                inputs.Add((name, source, metadata.ElementType == typeof(int)));
            }

            if (!session.InputMetadata.ContainsKey(options.InputIdsName))
            {
                throw new ArgumentException(
                    $"The ONNX model '{options.ModelPath}' has no input '{options.InputIdsName}' (its inputs: {string.Join(", ", session.InputMetadata.Keys)}); set InputIdsName.", nameof(options));
            }

            if (!session.OutputMetadata.TryGetValue(options.OutputName, out var output))
            {
                throw new ArgumentException(
                    $"The ONNX model '{options.ModelPath}' has no output '{options.OutputName}' (its outputs: {string.Join(", ", session.OutputMetadata.Keys)}); set OutputName.", nameof(options));
            }

            int expectedRank = options.Pooling == SentencePooling.None ? 2 : 3;
            if (output.Dimensions.Length != expectedRank || output.ElementType != typeof(float))
            {
                string expected = expectedRank == 3 ? "float [batch, sequence, hidden] (per-token states)" : "float [batch, hidden] (one vector per text)";
                string hint = expectedRank == 3 ? "use Pooling = None for an already pooled output" : "use Pooling = Mean or Cls for per-token states";
                throw new ArgumentException(
                    $"Pooling {options.Pooling} needs output '{options.OutputName}' to be {expected}, but it is {output.ElementType.Name} of rank {output.Dimensions.Length}; {hint}.", nameof(options));
            }

            int hiddenSize = output.Dimensions[^1];
            if (hiddenSize <= 0)
            {
                throw new ArgumentException($"The last dimension of output '{options.OutputName}' is not fixed in the ONNX model, so the vector size is unknown.", nameof(options));
            }

            return new ModelSignature(inputs, hiddenSize);
        }
    }
}
