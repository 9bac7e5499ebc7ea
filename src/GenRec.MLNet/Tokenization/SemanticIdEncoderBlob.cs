using System.Text.Json;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// The bytes that carry a trained encoder inside a saved model: a format tag naming the quantizer, a version, the
/// hyperparameters as JSON, then TorchSharp's weight stream (RQ-VAE, K-way) or counted float arrays (residual k-means:
/// <see cref="ResidualKMeansBlob"/>). The tag decides which encoder is rebuilt, so one compute mapping serves every
/// quantizer; the version lets later formats still read this one.
/// </summary>
internal static class SemanticIdEncoderBlob
{
    private const string RqVaeMagic = "GenRec.RqVae";
    private const string MaskedKWayMagic = "GenRec.MaskedKWay";
    private const string ResidualKMeansMagic = "GenRec.ResidualKMeans";
    private const int Version = 1; // 1: hyperparameters JSON + weights

    /// <summary>The cache kind (part of the model id) of an encoder blob.</summary>
    public static string KindOf(ISemanticIdEncoder encoder) => encoder switch
    {
        MaskedKWayModel => "maskedkway",
        ResidualKMeansModel => "rqkmeans",
        _ => "rqvae",
    };

    public static byte[] Save(ISemanticIdEncoder encoder) => encoder switch
    {
        RqVaeTokenizer rqVae => Write(RqVaeMagic, JsonSerializer.Serialize(rqVae.Hyperparameters), rqVae.SaveWeights()),
        MaskedKWayModel kWay => Write(MaskedKWayMagic, JsonSerializer.Serialize(kWay.Hyperparameters), kWay.SaveWeights()),
        ResidualKMeansModel kMeans => Write(ResidualKMeansMagic, JsonSerializer.Serialize(kMeans.Hyperparameters), writer => ResidualKMeansBlob.WriteArrays(writer, kMeans)),
        _ => throw new ArgumentException($"No saved format for encoder type {encoder.GetType().Name}.", nameof(encoder)),
    };

    public static ISemanticIdEncoder Load(byte[] blob)
    {
        using var reader = new Persistence.BoundedBlobReader(blob, "semantic-ID encoder");
        string magic = reader.ReadString();
        if (magic != RqVaeMagic && magic != MaskedKWayMagic && magic != ResidualKMeansMagic)
        {
            throw new InvalidDataException($"The carried weights are not a semantic-ID encoder (format tag '{magic}').");
        }

        int version = reader.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"{magic} weight format version {version} is not supported (this library reads version {Version}).");
        }

        string hyperparameters = reader.ReadString();
        if (magic == ResidualKMeansMagic)
        {
            return ResidualKMeansBlob.Read(reader, Deserialize<ResidualKMeansHyperparameters>(hyperparameters, magic));
        }

        byte[] weights = reader.ReadBlock("the network weights");
        if (magic == RqVaeMagic)
        {
            RqVaeHyperparameters rqVae = Deserialize<RqVaeHyperparameters>(hyperparameters, magic);
            Persistence.ModelFileLimits.CheckRqVae(rqVae, weights); // before any module is built
            return RqVaeTokenizer.Load(weights, rqVae);
        }

        MaskedKWayHyperparameters kWay = Deserialize<MaskedKWayHyperparameters>(hyperparameters, magic);
        Persistence.ModelFileLimits.CheckMaskedKWay(kWay, weights);
        return MaskedKWayModel.Load(weights, kWay);
    }

    private static T Deserialize<T>(string json, string magic)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json) ?? throw new InvalidDataException($"The {magic} hyperparameters are missing.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The {magic} hyperparameters in the model file are invalid: {ex.Message}", ex);
        }
    }

    private static byte[] Write(string magic, string hyperparameters, byte[] weights) => Write(magic, hyperparameters, writer =>
    {
        writer.Write(weights.Length);
        writer.Write(weights);
    });

    private static byte[] Write(string magic, string hyperparameters, Action<BinaryWriter> writeBody)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(Version);
            writer.Write(hyperparameters);
            writeBody(writer);
        }

        return stream.ToArray();
    }
}
