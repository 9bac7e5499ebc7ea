namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Generates the pooling (and optional L2 normalization) step of the sentence encoder as a tiny ONNX graph.
/// Running it through ML.NET's ONNX transformer, rather than a CustomMapping, gives a fixed-size output vector
/// (a CustomMapping's size is a compile-time constant, but the hidden size depends on the model) and a step that
/// ML.NET saves and reloads by itself, graph bytes included.
/// </summary>
internal static class SentencePoolingGraph
{
    /// <summary>Name of the graph's output, and so of the ML.NET column it produces.</summary>
    public const string OutputName = "GenRec.Encoder.Pooled";

    // Opset 13: ReduceSum and Unsqueeze take their axes as an input tensor; ReduceL2 still takes an attribute.
    private const int Opset = 13;

    // sentence-transformers clamps the token count at 1e-9 and F.normalize clamps the norm at 1e-12.
    private const float CountFloor = 1e-9f;
    private const float NormFloor = 1e-12f;

    /// <summary>
    /// Builds the graph. The states input is named <paramref name="statesInput"/> and shaped [window, hidden]
    /// (or [hidden] for <see cref="SentencePooling.None"/>); the mask input (Mean only) is int64 [window].
    /// The output <see cref="OutputName"/> is float [hidden].
    /// </summary>
    public static byte[] Create(SentencePooling pooling, bool normalize, int window, int hiddenSize, string statesInput, string maskInput)
    {
        var graph = new OnnxGraphBuilder();
        string pooled = normalize ? "pooled_raw" : OutputName;
        switch (pooling)
        {
            case SentencePooling.Mean:
                graph.Input(statesInput, OnnxGraphBuilder.FloatType, window, hiddenSize)
                    .Input(maskInput, OnnxGraphBuilder.Int64Type, window)
                    .Int64Initializer("axis_token", new long[] { 1 }, 0)
                    .Int64Initializer("axis_hidden", new long[] { 1 }, 1)
                    .FloatInitializer("count_floor", Array.Empty<long>(), CountFloor)
                    .Node("Cast", new[] { maskInput }, new[] { "mask_float" }, ("to", OnnxGraphBuilder.FloatType))
                    .Node("Unsqueeze", new[] { "mask_float", "axis_hidden" }, new[] { "mask_column" })
                    .Node("Mul", new[] { statesInput, "mask_column" }, new[] { "masked_states" })
                    .Node("ReduceSum", new[] { "masked_states", "axis_token" }, new[] { "state_sum" }, ("keepdims", 0))
                    .Node("ReduceSum", new[] { "mask_float" }, new[] { "token_count" }, ("keepdims", 0))
                    .Node("Max", new[] { "token_count", "count_floor" }, new[] { "safe_count" })
                    .Node("Div", new[] { "state_sum", "safe_count" }, new[] { pooled });
                break;
            case SentencePooling.Cls:
                graph.Input(statesInput, OnnxGraphBuilder.FloatType, window, hiddenSize)
                    .Int64Initializer("first_token", Array.Empty<long>(), 0)
                    .Node("Gather", new[] { statesInput, "first_token" }, new[] { pooled }, ("axis", 0));
                break;
            case SentencePooling.None:
                graph.Input(statesInput, OnnxGraphBuilder.FloatType, hiddenSize)
                    .Node("Identity", new[] { statesInput }, new[] { pooled });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        }

        if (normalize)
        {
            graph.FloatInitializer("norm_floor", Array.Empty<long>(), NormFloor)
                .Node("ReduceL2", new[] { pooled }, new[] { "norm" }, ("keepdims", 0))
                .Node("Max", new[] { "norm", "norm_floor" }, new[] { "safe_norm" })
                .Node("Div", new[] { pooled, "safe_norm" }, new[] { OutputName });
        }

        return graph.Output(OutputName, OnnxGraphBuilder.FloatType, hiddenSize).Build("genrec_sentence_pooling", Opset);
    }
}
