using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Assembles a small single-graph ONNX model (<see cref="ModelProto"/>) from nodes, initializers and typed
/// inputs/outputs, with OnnxSharp's generated ONNX messages and Google.Protobuf's serializer. Used to generate the
/// pooling step of the sentence encoder as an ONNX graph, so that it runs inside ML.NET's own ONNX transformer and is
/// saved with the model like any other ONNX transform.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX TensorProto.DataType FLOAT.</summary>
    public const int FloatType = (int)TensorProto.Types.DataType.Float;

    /// <summary>ONNX TensorProto.DataType INT64.</summary>
    public const int Int64Type = (int)TensorProto.Types.DataType.Int64;

    // IR version 7 is the oldest that supports opset 13, whose ReduceSum/Unsqueeze take axes as an input.
    private const long IrVersion = 7;

    private readonly GraphProto _graph = new();

    /// <summary>Declares a graph input of a tensor type; a negative dimension is written as a symbolic one.</summary>
    public OnnxGraphBuilder Input(string name, int elementType, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    /// <summary>Declares a graph output of a tensor type; a negative dimension is written as a symbolic one.</summary>
    public OnnxGraphBuilder Output(string name, int elementType, params long[] dims)
    {
        _graph.Output.Add(ValueInfo(name, elementType, dims));
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

        _graph.Initializer.Add(Tensor(name, Int64Type, dims, raw));
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

        _graph.Initializer.Add(Tensor(name, FloatType, dims, raw));
        return this;
    }

    /// <summary>Adds a node of the default ONNX domain with integer attributes.</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes)
    {
        var node = new NodeProto { Name = $"{opType}_{_graph.Node.Count}", OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        foreach (var (attributeName, value) in intAttributes)
        {
            node.Attribute.Add(new AttributeProto { Name = attributeName, I = value, Type = AttributeProto.Types.AttributeType.Int });
        }

        _graph.Node.Add(node);
        return this;
    }

    /// <summary>Serializes the model.</summary>
    public byte[] Build(string graphName, int opsetVersion)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "GenRec.MLNet",
            Graph = _graph.Clone(),
        };
        model.Graph.Name = graphName;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opsetVersion });
        return model.ToByteArray();
    }

    private static TensorProto Tensor(string name, int elementType, long[] dims, byte[] raw)
    {
        var tensor = new TensorProto { Name = name, DataType = elementType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(dims);
        return tensor;
    }

    private static ValueInfoProto ValueInfo(string name, int elementType, long[] dims)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < dims.Length; i++)
        {
            shape.Dim.Add(dims[i] >= 0
                ? new TensorShapeProto.Types.Dimension { DimValue = dims[i] }
                : new TensorShapeProto.Types.Dimension { DimParam = $"{name}_dim{i}" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }
}
