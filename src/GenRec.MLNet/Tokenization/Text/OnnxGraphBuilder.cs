using System.Buffers.Binary;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Assembles a small single-graph ONNX model (ModelProto) from nodes, initializers and typed inputs/outputs.
/// Used to generate the pooling step of the sentence encoder as an ONNX graph, so that it runs inside
/// ML.NET's own ONNX transformer and is saved with the model like any other ONNX transform.
/// </summary>
/// <remarks>Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, TypeProto).</remarks>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX TensorProto.DataType FLOAT.</summary>
    public const int FloatType = 1;

    /// <summary>ONNX TensorProto.DataType INT64.</summary>
    public const int Int64Type = 7;

    // IR version 7 is the oldest that supports opset 13, whose ReduceSum/Unsqueeze take axes as an input.
    private const long IrVersion = 7;
    private const int AttributeTypeInt = 2;

    private readonly List<ProtoWriter> _nodes = new();
    private readonly List<ProtoWriter> _initializers = new();
    private readonly List<ProtoWriter> _inputs = new();
    private readonly List<ProtoWriter> _outputs = new();

    /// <summary>Declares a graph input of a tensor type; a negative dimension is written as a symbolic one.</summary>
    public OnnxGraphBuilder Input(string name, int elementType, params long[] dims)
    {
        _inputs.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    /// <summary>Declares a graph output of a tensor type; a negative dimension is written as a symbolic one.</summary>
    public OnnxGraphBuilder Output(string name, int elementType, params long[] dims)
    {
        _outputs.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    /// <summary>Adds a constant int64 tensor.</summary>
    public OnnxGraphBuilder Int64Initializer(string name, long[] dims, params long[] values)
    {
        var raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        _initializers.Add(Tensor(name, Int64Type, dims, raw));
        return this;
    }

    /// <summary>Adds a constant float tensor.</summary>
    public OnnxGraphBuilder FloatInitializer(string name, long[] dims, params float[] values)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        _initializers.Add(Tensor(name, FloatType, dims, raw));
        return this;
    }

    /// <summary>Adds a node of the default ONNX domain with integer attributes.</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        foreach (string output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, $"{opType}_{_nodes.Count}");
        node.String(4, opType);
        foreach (var (attributeName, value) in intAttributes)
        {
            node.Message(5, new ProtoWriter().String(1, attributeName).Int(3, value).Int(20, AttributeTypeInt));
        }

        _nodes.Add(node);
        return this;
    }

    /// <summary>Serializes the model.</summary>
    public byte[] Build(string graphName, int opsetVersion)
    {
        var graph = new ProtoWriter();
        foreach (var node in _nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, graphName);
        foreach (var initializer in _initializers)
        {
            graph.Message(5, initializer);
        }

        foreach (var input in _inputs)
        {
            graph.Message(11, input);
        }

        foreach (var output in _outputs)
        {
            graph.Message(12, output);
        }

        return new ProtoWriter()
            .Int(1, IrVersion)
            .String(2, "GenRec.MLNet")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, string.Empty).Int(2, opsetVersion))
            .ToArray();
    }

    private static ProtoWriter Tensor(string name, int elementType, long[] dims, byte[] raw) =>
        new ProtoWriter().PackedInts(1, dims).Int(2, elementType).String(8, name).Bytes(9, raw);

    private static ProtoWriter ValueInfo(string name, int elementType, long[] dims)
    {
        var shape = new ProtoWriter();
        for (int i = 0; i < dims.Length; i++)
        {
            var dim = dims[i] >= 0 ? new ProtoWriter().Int(1, dims[i]) : new ProtoWriter().String(2, $"{name}_dim{i}");
            shape.Message(1, dim);
        }

        var tensorType = new ProtoWriter().Int(1, elementType).Message(2, shape);
        var type = new ProtoWriter().Message(1, tensorType);
        return new ProtoWriter().String(1, name).Message(2, type);
    }
}
