namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Options of <see cref="ContentVectorizers.BuiltInSentenceEncoder"/>: which built-in encoder to run and how to
/// batch it. Only <see cref="Model"/> is part of a saved model; the other fields are run-time settings.
/// </summary>
public sealed class BuiltInSentenceEncoderOptions
{
    /// <summary>The built-in encoder (the only one today: all-MiniLM-L6-v2, 384 dimensions).</summary>
    public BuiltInSentenceEncoder Model = BuiltInSentenceEncoder.MiniLmL6V2;

    /// <summary>
    /// Texts per model run when <c>Fit</c> encodes the distinct texts of its data. Texts are sorted by length first,
    /// so a batch pads to similar lengths; larger batches amortize the per-run overhead. Rows met only at prediction
    /// are encoded one at a time (ML.NET maps rows one by one).
    /// </summary>
    public int BatchSize = 32;

    /// <summary>
    /// ONNX Runtime intra-op threads of the encoder; 0 takes ONNX Runtime's default (one per physical core). The
    /// encoder is loaded once per process (about 90 MB), and the first use in a process fixes this value.
    /// </summary>
    public int Threads;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for invalid values.</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Model))
        {
            throw new ArgumentOutOfRangeException(nameof(Model), Model, "Unknown built-in sentence encoder; the one available is MiniLmL6V2.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "At least one text per model run.");
        }

        if (Threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Use 0 for ONNX Runtime's default, or a positive thread count.");
        }
    }
}
