using System.Text.Json;
using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// The bytes that carry a trained RQ-VAE encoder inside a saved model: a format tag, the hyperparameters as JSON,
/// then TorchSharp's weight stream. Versioned so later formats can still read this one.
/// </summary>
internal static class SemanticIdEncoderBlob
{
    private const string Magic = "GenRec.RqVae";
    private const int Version = 1; // 1: hyperparameters JSON + weights

    public const string Kind = "rqvae";

    public static byte[] Save(RqVaeTokenizer tokenizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(JsonSerializer.Serialize(tokenizer.Hyperparameters));
            byte[] weights = tokenizer.SaveWeights();
            writer.Write(weights.Length);
            writer.Write(weights);
        }

        return stream.ToArray();
    }

    public static RqVaeTokenizer Load(byte[] blob)
    {
        using var reader = new BinaryReader(new MemoryStream(blob));
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("The carried weights are not an RQ-VAE tokenizer.");
        }

        int version = reader.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"RQ-VAE weight format version {version} is not supported (this library reads version {Version}).");
        }

        RqVaeHyperparameters hyperparameters = JsonSerializer.Deserialize<RqVaeHyperparameters>(reader.ReadString())
            ?? throw new InvalidDataException("The RQ-VAE hyperparameters are missing.");
        byte[] weights = reader.ReadBytes(reader.ReadInt32());
        return RqVaeTokenizer.Load(weights, hyperparameters);
    }
}
