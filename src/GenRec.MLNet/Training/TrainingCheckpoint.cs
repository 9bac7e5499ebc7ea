using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Training;

/// <summary>
/// A resumable training state in a folder: loop counters, the fingerprint the run is bound to, the best weights so far,
/// the current weights and the optimizer state, all in one file. The file is written under a temporary name, flushed
/// and then renamed over the old one, so a kill at any moment leaves either the previous checkpoint or the new one,
/// never a mix of the two.
/// </summary>
internal sealed class TrainingCheckpoint
{
    private const string FileName = "checkpoint.bin";
    private const string LegacyStateFile = "loop.json"; // the unbound three-file layout of earlier versions
    private const string Magic = "GenRec.Checkpoint";
    private const int Version = 2;

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public int Epoch { get; set; }

    public int BatchInEpoch { get; set; }

    public long Step { get; set; }

    public double? BestMetric { get; set; }

    public int BestEpoch { get; set; }

    public int ValidationsWithoutImprovement { get; set; }

    /// <summary>The run ended by its own rules (epochs, early stopping or the time budget); nothing is left to resume.</summary>
    public bool Completed { get; set; }

    public string StopReason { get; set; } = "epochs";

    public double LastEpochLoss { get; set; } = double.NaN;

    /// <summary>Training time of the earlier runs of this checkpoint (the validation curve counts from the first).</summary>
    public double ElapsedSeconds { get; set; }

    public List<CurvePoint> Curve { get; set; } = new();

    public TrainingFingerprint Fingerprint { get; set; } = new();

    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, FileName)) || File.Exists(Path.Combine(directory, LegacyStateFile));

    public void Save(string directory, nn.Module module, optim.Optimizer optimizer, Dictionary<string, Tensor>? bestWeights)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(JsonSerializer.Serialize(this, Json));
                writer.Write(bestWeights is not null);
                if (bestWeights is not null)
                {
                    nn.Module.save_state_dict(writer, bestWeights);
                }

                module.save(writer);
                ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads the checkpoint in <paramref name="directory"/> into <paramref name="module"/> and <paramref name="optimizer"/>
    /// after checking that it was written for <paramref name="expected"/>; <paramref name="bestWeights"/> receives a copy of
    /// the best weights it holds (null when no validation had run).
    /// </summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another run (the message names what differs) or predates fingerprints.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or does not fit this model.</exception>
    public static TrainingCheckpoint Load(string directory, TrainingFingerprint expected, nn.Module module, optim.Optimizer optimizer, out Dictionary<string, Tensor>? bestWeights)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The checkpoint folder '{directory}' holds a checkpoint from an earlier version of GenRec.MLNet that does not record its data, " +
                "options and seed, so it cannot be resumed safely. Delete the folder or choose another CheckpointDirectory.");
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        TrainingCheckpoint state = ReadState(reader, path);
        IReadOnlyList<string> differences = expected.DifferencesFrom(state.Fingerprint);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The checkpoint folder '{directory}' belongs to another training run: {string.Join("; ", differences)}. " +
                "A checkpoint is only resumed with the same data, options and seed. Delete the folder (or choose another CheckpointDirectory) to train from scratch.");
        }

        bestWeights = null;
        try
        {
            if (reader.ReadBoolean())
            {
                module.load(reader);
                bestWeights = TrainingLoop.Snapshot(module);
            }

            module.load(reader);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TrainingLoop.DisposeAll(bestWeights);
            bestWeights = null;
            throw new InvalidDataException(
                $"The checkpoint in '{directory}' does not fit this model (another model size or kind, or a damaged file): {ex.Message} " +
                "Delete the folder or choose another CheckpointDirectory.", ex);
        }

        return state;
    }

    private static TrainingCheckpoint ReadState(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"'{path}' is not a GenRec training checkpoint.");
            }

            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"The checkpoint '{path}' has format version {version}; this library reads version {Version}.");
            }

            return JsonSerializer.Deserialize<TrainingCheckpoint>(reader.ReadString(), Json)
                ?? throw new InvalidDataException($"The checkpoint '{path}' has no state.");
        }
        catch (Exception ex) when (ex is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"The checkpoint '{path}' is damaged: {ex.Message}", ex);
        }
    }

    /// <summary>One validation: total training seconds, epoch, metric.</summary>
    public sealed record CurvePoint(double Seconds, int Epoch, double Metric);
}
