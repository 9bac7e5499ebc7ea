using System.IO.Compression;
using System.Text.Json;
using GenRec.Cli.Training;
using Microsoft.ML;

namespace GenRec.Cli.Models;

/// <summary>
/// Saves and loads the model zip: ML.NET's own <c>Model.Save</c>/<c>Model.Load</c>, plus one extra entry with the
/// <see cref="TrainingRecord"/> (curves, titles) that ML.NET's loader does not read and therefore ignores.
/// </summary>
public static class ModelFile
{
    /// <summary>The zip entry holding the training record.</summary>
    public const string RecordEntry = "GenRec.Cli/training-record.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Saves <paramref name="model"/> with <paramref name="record"/> to <paramref name="path"/> (written beside it first, then moved).</summary>
    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, TrainingRecord record, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".partial";
        ml.Model.Save(model, inputSchema, temporary);
        using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.CreateEntry(RecordEntry, CompressionLevel.Optimal);
            using Stream stream = entry.Open();
            JsonSerializer.Serialize(stream, record, Json);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Loads a model zip; a missing or unreadable file is a <see cref="CliException"/> naming it.</summary>
    public static LoadedModel Load(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: model file not found");
        }

        ITransformer model;
        DataViewSchema inputSchema;
        try
        {
            model = ml.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new CliException($"{path}: not an ML.NET model zip ({e.Message})");
        }

        if (inputSchema.GetColumnOrNull("User") is null || inputSchema.GetColumnOrNull("Item") is null)
        {
            throw new CliException($"{path}: the model does not read User and Item columns; it was not trained by genrec train");
        }

        return new LoadedModel(ml, model, inputSchema, ReadRecord(path));
    }

    /// <summary>The training record inside <paramref name="path"/>, or null for a zip written by other code.</summary>
    public static TrainingRecord? ReadRecord(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        ZipArchiveEntry? entry = zip.GetEntry(RecordEntry);
        if (entry is null)
        {
            return null;
        }

        using Stream stream = entry.Open();
        return JsonSerializer.Deserialize<TrainingRecord>(stream, Json);
    }
}
