namespace GenRec.MLNet.Tokenization;

/// <summary>
/// What the tokenizer transformer needs from a trained quantizer to give IDs to items (or users) it has not seen:
/// the RQ-VAE and the masked K-way tokenizer both provide it, so one transformer and one saved format serve both.
/// </summary>
internal interface ISemanticIdEncoder : IDisposable
{
    /// <summary>Length of a content vector.</summary>
    int InputDimension { get; }

    /// <summary>Length of a quantized vector.</summary>
    int QuantizedDimension { get; }

    /// <summary>IDs of <paramref name="count"/> row-major vectors.</summary>
    SemanticIdTable Encode(float[] vectors, int count);

    /// <summary>The quantized vector of every ID of <paramref name="codes"/>, row-major.</summary>
    float[] QuantizedVectors(SemanticIdTable codes);
}
