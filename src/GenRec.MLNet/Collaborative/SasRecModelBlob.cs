using GenRec.MLNet.Collaborative.Models;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// The bytes that carry a trained SASRec inside a saved ML.NET model: a format tag and version, the hyperparameters
/// that shape the network, the serving settings (top-K, history exclusion, device preference), then TorchSharp's
/// weight stream. Everything a fresh process needs to encode a new history; nothing about users (their stored
/// histories travel in a separate MapValue table).
/// </summary>
/// <remarks>
/// Format history: version 1 — up to the device; version 2 (the layout written by <see cref="Save"/>) adds the
/// position numbering (<see cref="CollaborativeEmbeddingOptions.RecencyPositions"/>) after the device. Version 1 files
/// still load, with positions counted from the oldest item, as they were trained.
/// The reader checks every count against sane limits and the weight length against the bytes that remain before it
/// allocates anything, so a corrupt or foreign blob fails with <see cref="InvalidDataException"/> instead of an
/// out-of-memory or a half-built network.
/// </remarks>
internal static class SasRecModelBlob
{
    public const string Kind = "genrec-sasrec";
    private const string Magic = "GenRec.SasRec";
    private const int Version = 2;

    // Far above any real setting; they only stop a corrupt header from asking for absurd allocations.
    private const int MaxDimension = 1 << 16;
    private const int MaxLayers = 1024;
    private const int MaxLength = 1 << 20;

    public static byte[] Save(SasRecNetwork network, int itemCount, CollaborativeEmbeddingOptions options)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(itemCount);
            w.Write(options.Dimension);
            w.Write(options.MaxHistoryLength);
            w.Write(options.Layers);
            w.Write(options.Heads);
            w.Write(options.Dropout);
            w.Write(options.TopK);
            w.Write(options.ExcludeHistoryFromRecommendations);
            w.Write((int)options.Device);
            w.Write(network.RecencyPositions);

            // TorchSharp's save closes the stream it writes to; ToArray still works on a closed MemoryStream.
            var weights = new MemoryStream();
            network.save(weights);
            byte[] bytes = weights.ToArray();
            w.Write(bytes.Length);
            w.Write(bytes);
        }

        return stream.ToArray();
    }

    public static SasRecServingModel Load(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        using var r = new BinaryReader(new MemoryStream(blob, writable: false));
        string magic;
        try
        {
            magic = r.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException("The carried weights are not a GenRec SASRec model.", e);
        }

        if (magic != Magic)
        {
            throw new InvalidDataException("The carried weights are not a GenRec SASRec model.");
        }

        int version = ReadInt(r, "version", 0, int.MaxValue);
        if (version is < 1 or > Version)
        {
            throw new InvalidDataException($"SASRec model format version {version} is not supported (this library reads versions 1 to {Version}).");
        }

        int items = ReadInt(r, "item count", 1, int.MaxValue - 1);
        int dimension = ReadInt(r, "dimension", 1, MaxDimension);
        int maxLength = ReadInt(r, "history length", 1, MaxLength);
        int layers = ReadInt(r, "layers", 1, MaxLayers);
        int heads = ReadInt(r, "attention heads", 1, dimension);
        double dropout = Remaining(r) >= sizeof(double) ? r.ReadDouble() : throw Truncated("dropout");
        int topK = ReadInt(r, "top-K", 1, 100_000); // sizes a list per prediction: bounded like the other models
        bool exclude = Remaining(r) >= 1 ? r.ReadBoolean() : throw Truncated("history exclusion");
        var device = (TorchDeviceKind)ReadInt(r, "device", 0, int.MaxValue);
        bool recency = version >= 2 && (Remaining(r) >= 1 ? r.ReadBoolean() : throw Truncated("position numbering"));
        int weightLength = ReadInt(r, "weight length", 1, int.MaxValue);
        if (dimension % heads != 0 || !(dropout >= 0 && dropout <= 1) || !Enum.IsDefined(device))
        {
            throw new InvalidDataException($"The SASRec header is inconsistent (dimension {dimension}, heads {heads}, dropout {dropout}, device {(int)device}): the model file is corrupt.");
        }

        // The item and position tables alone need this many bytes of weights; check before the network allocates them.
        long tableBytes = ((long)items + 1 + maxLength) * dimension * sizeof(float);
        if (weightLength != Remaining(r) || tableBytes > weightLength)
        {
            throw new InvalidDataException(
                $"The SASRec weights are {weightLength} bytes, {Remaining(r)} remain in the blob and {items} items × {dimension} need at least {tableBytes}: the model file is corrupt.");
        }

        // TorchSharp's loader sizes arrays from the ranks it reads: walk the weight stream first.
        Persistence.TorchWeightStream.Scan(blob.AsSpan((int)r.BaseStream.Position, weightLength).ToArray(), "SASRec");
        var network = new SasRecNetwork(items, dimension, maxLength, layers, heads, dropout, recency);
        try
        {
            using (var weights = new BinaryReader(new MemoryStream(blob, (int)r.BaseStream.Position, weightLength, writable: false)))
            {
                network.load(weights);
            }

            // Serving never trains: dropout off. A model trained on a GPU still loads where there is none (Auto).
            network.eval();
            Device target = TorchEnvironment.ResolveDevice(new MLContext(), device == TorchDeviceKind.Cpu ? TorchDeviceKind.Cpu : TorchDeviceKind.Auto);
            network.to(target);
            return new SasRecServingModel(network, target, topK, exclude);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static long Remaining(BinaryReader r) => r.BaseStream.Length - r.BaseStream.Position;

    private static int ReadInt(BinaryReader r, string what, int min, int max)
    {
        if (Remaining(r) < sizeof(int))
        {
            throw Truncated(what);
        }

        int value = r.ReadInt32();
        return value >= min && value <= max
            ? value
            : throw new InvalidDataException($"The SASRec {what} is {value}, outside {min}..{max}: the model file is corrupt.");
    }

    private static InvalidDataException Truncated(string what) =>
        new($"The SASRec model ends before its {what}: the model file is truncated.");
}
