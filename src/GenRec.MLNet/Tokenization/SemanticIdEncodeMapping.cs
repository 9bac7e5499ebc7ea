using GenRec.MLNet.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Tokenization;

/// <summary>Input row of the tokenizer's compute step (column names are internal to the saved chain).</summary>
public sealed class SemanticIdEncodeInput
{
    /// <summary>Model id.</summary>
    [ColumnName(WeightsCarrier.ModelIdColumnName)]
    public string ModelId = "";

    /// <summary>Weight bytes (only on a process's first row).</summary>
    [ColumnName(WeightsCarrier.WeightsColumnName)]
    public byte[] Weights = Array.Empty<byte>();

    /// <summary>Codes looked up by item key (empty for unseen items).</summary>
    [ColumnName(SemanticIdEncodeMappingFactory.KeyCodesColumn)]
    public uint[] KeyCodes = Array.Empty<uint>();

    /// <summary>Quantized vector looked up by item key (empty for unseen items).</summary>
    [ColumnName(SemanticIdEncodeMappingFactory.KeyQuantizedColumn)]
    public float[] KeyQuantized = Array.Empty<float>();

    /// <summary>The item's content vector.</summary>
    [ColumnName(SemanticIdEncodeMappingFactory.ContentColumn)]
    public float[] Content = Array.Empty<float>();
}

/// <summary>Output row of the tokenizer's compute step.</summary>
public sealed class SemanticIdEncodeOutput
{
    /// <summary>The semantic ID.</summary>
    [ColumnName(SemanticIdEncodeMappingFactory.CodesOutputColumn)]
    public uint[] Codes = Array.Empty<uint>();

    /// <summary>The quantized vector.</summary>
    [ColumnName(SemanticIdEncodeMappingFactory.QuantizedOutputColumn)]
    public float[] Quantized = Array.Empty<float>();
}

/// <summary>
/// The tokenizer's compute step after save/load: an item known at training time keeps its (collision-resolved)
/// code from the lookup table; any other row is tokenized from its content vector by the encoder (RQ-VAE, masked
/// K-way or residual k-means) rebuilt from the weights carried in the zip. A content vector of the wrong size or with NaN gives an empty ID, not a crash.
/// </summary>
[CustomMappingFactoryAttribute(Contract)]
public sealed class SemanticIdEncodeMappingFactory : CustomMappingFactory<SemanticIdEncodeInput, SemanticIdEncodeOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string Contract = "GenRec.SemanticIdEncode.v1";

    internal const string KeyCodesColumn = "__GenRecKeyCodes";
    internal const string KeyQuantizedColumn = "__GenRecKeyQuantized";
    internal const string ContentColumn = "__GenRecContent";
    internal const string CodesOutputColumn = "__GenRecCodes";
    internal const string QuantizedOutputColumn = "__GenRecQuantized";

    /// <inheritdoc />
    public override Action<SemanticIdEncodeInput, SemanticIdEncodeOutput> GetMapping()
    {
        var carried = CarriedModel<ISemanticIdEncoder>.ForComputeStep(SemanticIdEncoderBlob.Load);
        return (input, output) => Map(carried, input, output);
    }

    private static void Map(CarriedModel<ISemanticIdEncoder> carried, SemanticIdEncodeInput input, SemanticIdEncodeOutput output)
    {
        if (input.KeyCodes.Length > 0)
        {
            if (input.Weights.Length > 0)
            {
                carried.Resolve(input.ModelId, input.Weights); // check the carried weights once, so later rows stop carrying them
            }

            output.Codes = input.KeyCodes;
            output.Quantized = input.KeyQuantized;
            return;
        }

        ISemanticIdEncoder encoder = carried.Resolve(input.ModelId, input.Weights);
        if (input.Content.Length != encoder.InputDimension || input.Content.Any(v => !float.IsFinite(v)))
        {
            output.Codes = Array.Empty<uint>();
            output.Quantized = Array.Empty<float>();
            return;
        }

        SemanticIdTable codes = encoder.Encode(input.Content, 1);
        output.Codes = codes.GetCodes(0).Select(c => (uint)c).ToArray();
        output.Quantized = encoder.QuantizedVectors(codes);
    }
}
