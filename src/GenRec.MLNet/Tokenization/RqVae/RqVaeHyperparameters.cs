namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Everything needed to rebuild an RQ-VAE network before its weights are loaded (see
/// <see cref="RqVaeTokenizer.Load(byte[], RqVaeHyperparameters, TorchSharp.torch.Device?)"/>). Plain values only, so it
/// serializes as JSON or into an ML.NET model context.
/// </summary>
public sealed class RqVaeHyperparameters
{
    /// <summary>Length of an input content vector.</summary>
    public int InputDimension { get; init; }

    /// <summary>Hidden layer widths of the encoder (the decoder mirrors them).</summary>
    public int[] EncoderLayerSizes { get; init; } = Array.Empty<int>();

    /// <summary>Latent and code dimension.</summary>
    public int CodeDimension { get; init; }

    /// <summary>Residual quantization levels.</summary>
    public int Levels { get; init; }

    /// <summary>Codes per level.</summary>
    public int CodebookSize { get; init; }

    /// <summary>Dropout rate of the hidden layers (inactive at inference; kept so the rebuilt module is identical).</summary>
    public double Dropout { get; init; }

    /// <summary>Throws when a value cannot describe a network, naming the property.</summary>
    public void Validate()
    {
        if (InputDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InputDimension), InputDimension, "InputDimension must be at least 1.");
        }

        if (EncoderLayerSizes is null || EncoderLayerSizes.Any(size => size < 1))
        {
            throw new ArgumentException("EncoderLayerSizes must be an array of positive widths.", nameof(EncoderLayerSizes));
        }

        if (CodeDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CodeDimension), CodeDimension, "CodeDimension must be at least 1.");
        }

        if (Levels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Levels), Levels, "Levels must be at least 1.");
        }

        if (CodebookSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookSize), CodebookSize, "CodebookSize must be at least 2.");
        }

        if (!double.IsFinite(Dropout) || Dropout < 0 || Dropout >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        }
    }
}
