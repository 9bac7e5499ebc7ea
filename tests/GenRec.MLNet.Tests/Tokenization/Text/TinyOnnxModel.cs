using Google.Protobuf;

namespace GenRec.MLNet.Tests.Tokenization.Text;

/// <summary>
/// Writes tiny ONNX encoders for the tests with Google.Protobuf's wire-format writer, independently of the
/// library's own ONNX writer, so a mistake in one is not mirrored by the other. Field numbers follow onnx.proto.
/// The encoder: last_hidden_state[b, t] = embedding[input_ids[b, t]] + segment[token_type_ids[b, t]], i.e. each
/// token's state is its embedding row (segment row 0 is zero), so pooled outputs can be computed by hand.
/// </summary>
internal static class TinyOnnxModel
{
    private const int FloatType = 1;
    private const int Int32Type = 6;
    private const int Int64Type = 7;

    /// <summary>What the tiny encoder declares.</summary>
    public sealed record Spec(float[,] Embedding)
    {
        /// <summary>Declare attention_mask (unused by the graph, as in exports whose attention is a no-op here).</summary>
        public bool WithAttentionMask { get; init; } = true;

        /// <summary>Declare token_type_ids and add a segment embedding whose row 1 is large, so non-zero types show.</summary>
        public bool WithTokenTypes { get; init; } = true;

        /// <summary>Token inputs as int32 instead of int64.</summary>
        public bool Int32Inputs { get; init; }

        /// <summary>Name of the per-token output.</summary>
        public string OutputName { get; init; } = "last_hidden_state";

        /// <summary>Also output sentence_embedding [batch, hidden] = the state of the first token.</summary>
        public bool WithSentenceEmbedding { get; init; }

        /// <summary>An extra input the encoder helper cannot feed.</summary>
        public string? ExtraInput { get; init; }
    }

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public static void Write(string path, Spec spec)
    {
        int vocab = spec.Embedding.GetLength(0);
        int hidden = spec.Embedding.GetLength(1);
        int tokenType = spec.Int32Inputs ? Int32Type : Int64Type;

        var nodes = new List<byte[]>();
        var initializers = new List<byte[]> { FloatTensor("embedding", new long[] { vocab, hidden }, Flatten(spec.Embedding)) };
        var inputs = new List<byte[]> { ValueInfo("input_ids", tokenType, "batch", "sequence") };
        var outputs = new List<byte[]> { ValueInfo(spec.OutputName, FloatType, "batch", "sequence", hidden) };

        string tokenIds = "input_ids";
        if (spec.Int32Inputs)
        {
            // Gather accepts int32 indices too, but casting keeps one graph shape for both variants.
            nodes.Add(Node("Cast", new[] { "input_ids" }, new[] { "ids64" }, ("to", Int64Type)));
            tokenIds = "ids64";
        }

        if (spec.WithAttentionMask)
        {
            inputs.Add(ValueInfo("attention_mask", tokenType, "batch", "sequence"));
        }

        if (spec.WithTokenTypes)
        {
            inputs.Add(ValueInfo("token_type_ids", tokenType, "batch", "sequence"));
            var segment = new float[2 * hidden];
            Array.Fill(segment, 1000f, hidden, hidden);
            initializers.Add(FloatTensor("segment", new long[] { 2, hidden }, segment));
            nodes.Add(Node("Gather", new[] { "embedding", tokenIds }, new[] { "token_states" }, ("axis", 0)));
            nodes.Add(Node("Gather", new[] { "segment", "token_type_ids" }, new[] { "segment_states" }, ("axis", 0)));
            nodes.Add(Node("Add", new[] { "token_states", "segment_states" }, new[] { spec.OutputName }));
        }
        else
        {
            nodes.Add(Node("Gather", new[] { "embedding", tokenIds }, new[] { spec.OutputName }, ("axis", 0)));
        }

        if (spec.WithSentenceEmbedding)
        {
            initializers.Add(Int64Tensor("first", Array.Empty<long>(), 0));
            nodes.Add(Node("Gather", new[] { spec.OutputName, "first" }, new[] { "sentence_embedding" }, ("axis", 1)));
            outputs.Add(ValueInfo("sentence_embedding", FloatType, "batch", hidden));
        }

        if (spec.ExtraInput is not null)
        {
            inputs.Add(ValueInfo(spec.ExtraInput, FloatType, "batch", 3));
        }

        byte[] graph = Message(s =>
        {
            nodes.ForEach(n => WriteMessage(s, 1, n));
            WriteString(s, 2, "tiny_encoder");
            initializers.ForEach(t => WriteMessage(s, 5, t));
            inputs.ForEach(i => WriteMessage(s, 11, i));
            outputs.ForEach(o => WriteMessage(s, 12, o));
        });

        byte[] model = Message(s =>
        {
            s.WriteTag(1, WireFormat.WireType.Varint);
            s.WriteInt64(8);
            WriteString(s, 2, "GenRec.MLNet.Tests");
            WriteMessage(s, 7, graph);
            WriteMessage(s, 8, Message(o =>
            {
                WriteString(o, 1, string.Empty);
                o.WriteTag(2, WireFormat.WireType.Varint);
                o.WriteInt64(13);
            }));
        });

        File.WriteAllBytes(path, model);
    }

    private static float[] Flatten(float[,] matrix) => matrix.Cast<float>().ToArray();

    private static byte[] Node(string op, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes) => Message(s =>
    {
        foreach (string input in inputs)
        {
            WriteString(s, 1, input);
        }

        foreach (string output in outputs)
        {
            WriteString(s, 2, output);
        }

        WriteString(s, 4, op);
        foreach (var (name, value) in intAttributes)
        {
            WriteMessage(s, 5, Message(a =>
            {
                WriteString(a, 1, name);
                a.WriteTag(3, WireFormat.WireType.Varint);
                a.WriteInt64(value);
                a.WriteTag(20, WireFormat.WireType.Varint);
                a.WriteInt32(2); // AttributeProto.INT
            }));
        }
    });

    private static byte[] FloatTensor(string name, long[] dims, float[] values) => Message(s =>
    {
        dims.ToList().ForEach(d => { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); });
        s.WriteTag(2, WireFormat.WireType.Varint);
        s.WriteInt32(FloatType);
        WriteString(s, 8, name);
        WriteMessage(s, 4, Message(p => values.ToList().ForEach(p.WriteFloat))); // packed float_data
    });

    private static byte[] Int64Tensor(string name, long[] dims, params long[] values) => Message(s =>
    {
        dims.ToList().ForEach(d => { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); });
        s.WriteTag(2, WireFormat.WireType.Varint);
        s.WriteInt32(Int64Type);
        WriteString(s, 8, name);
        WriteMessage(s, 7, Message(p => values.ToList().ForEach(p.WriteInt64))); // packed int64_data
    });

    /// <summary>A tensor ValueInfoProto; string dimensions are symbolic (dim_param), integers fixed (dim_value).</summary>
    private static byte[] ValueInfo(string name, int elementType, params object[] dims)
    {
        byte[] shape = Message(s =>
        {
            foreach (object dim in dims)
            {
                WriteMessage(s, 1, Message(d =>
                {
                    if (dim is string symbol)
                    {
                        WriteString(d, 2, symbol);
                    }
                    else
                    {
                        d.WriteTag(1, WireFormat.WireType.Varint);
                        d.WriteInt64(Convert.ToInt64(dim));
                    }
                }));
            }
        });

        byte[] tensorType = Message(s =>
        {
            s.WriteTag(1, WireFormat.WireType.Varint);
            s.WriteInt32(elementType);
            WriteMessage(s, 2, shape);
        });

        return Message(s =>
        {
            WriteString(s, 1, name);
            WriteMessage(s, 2, Message(t => WriteMessage(t, 1, tensorType)));
        });
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var stream = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(stream);
        }

        return buffer.ToArray();
    }

    private static void WriteMessage(CodedOutputStream stream, int field, byte[] message)
    {
        stream.WriteTag(field, WireFormat.WireType.LengthDelimited);
        stream.WriteBytes(ByteString.CopyFrom(message));
    }

    private static void WriteString(CodedOutputStream stream, int field, string value)
    {
        stream.WriteTag(field, WireFormat.WireType.LengthDelimited);
        stream.WriteString(value);
    }
}
