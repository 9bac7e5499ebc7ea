namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// Everything needed to rebuild a masked K-way tokenizer network before its weights are loaded (see
/// <see cref="MaskedKWayModel.Load(byte[], MaskedKWayHyperparameters, SemanticIdTable?, TorchSharp.torch.Device?)"/>). Plain values only,
/// so it serializes as JSON or into an ML.NET model context. Training-only knobs (mask ratio, β, …) are not part of it:
/// they do not change the shape of the network.
/// </summary>
public sealed class MaskedKWayHyperparameters
{
    /// <summary>Length of an input vector (e.g. 64 for TokenRec's LightGCN embeddings).</summary>
    public int InputDimension { get; init; }

    /// <summary>Number of parallel ways K (codes per ID).</summary>
    public int Ways { get; init; }

    /// <summary>Codes per way L.</summary>
    public int CodebookSize { get; init; }

    /// <summary>Dimension of every encoding and code.</summary>
    public int CodeDimension { get; init; }

    /// <summary>Hidden widths of each way's encoder; the decoder mirrors them.</summary>
    public int[] EncoderLayerSizes { get; init; } = Array.Empty<int>();

    /// <summary>Throws when a value cannot describe a network, naming the property.</summary>
    public void Validate()
    {
        if (InputDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InputDimension), InputDimension, "InputDimension must be at least 1.");
        }

        if (Ways < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Ways), Ways, "Ways must be at least 1.");
        }

        if (CodebookSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookSize), CodebookSize, "CodebookSize must be at least 2.");
        }

        if (CodeDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CodeDimension), CodeDimension, "CodeDimension must be at least 1.");
        }

        if (EncoderLayerSizes is null || EncoderLayerSizes.Any(size => size < 1))
        {
            throw new ArgumentException("EncoderLayerSizes must be an array of positive widths.", nameof(EncoderLayerSizes));
        }
    }

    /// <summary>Encoder widths: input, hidden…, code dimension.</summary>
    internal int[] EncoderWidths() => new[] { InputDimension }.Concat(EncoderLayerSizes).Append(CodeDimension).ToArray();

    /// <summary>Decoder widths: code dimension, reversed hidden…, input (the encoder mirrored).</summary>
    internal int[] DecoderWidths() => EncoderWidths().Reverse().ToArray();
}
