using GenRec.Cli.Models;
using GenRec.Cli.Training;
using GenRec.MLNet.Tokenization;

namespace GenRec.Cli.Plots;

/// <summary>Writes every picture of a model: one training curve per stage and the first-level code distribution.</summary>
public static class PlotWriter
{
    /// <summary>Writes the PNGs into <paramref name="folder"/> (created if needed) and returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(LoadedModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (model.Record is { } record)
        {
            for (int i = 0; i < record.Stages.Count; i++)
            {
                StageCurve stage = record.Stages[i];
                string path = Path.Combine(folder, $"curve-{i + 1}-{stage.Name.Replace(' ', '-')}.png");
                File.WriteAllBytes(path, CurvePlot.RenderPng(stage));
                written.Add(path);
            }
        }

        foreach (var (column, source, key, label) in CodeColumns(model))
        {
            SemanticIdTable codes = model.ReadCodes(column, source, key);
            string path = Path.Combine(folder, $"codes-level1-{label}.png");
            new CodeHistogramPlot { Title = $"Level 1 code assignment ({label}, {codes.ItemCount:N0})" }.SavePng(path, codes, label);
            written.Add(path);
        }

        return written;
    }

    /// <summary>The semantic-ID columns of the model: items always, users for TokenRec.</summary>
    public static IEnumerable<(string Column, string Source, string Key, string Label)> CodeColumns(LoadedModel model)
    {
        if (model.OutputSchema.GetColumnOrNull("SemanticId") is not null)
        {
            yield return ("SemanticId", "Item", "ItemId", "items");
        }

        if (model.OutputSchema.GetColumnOrNull("UserSemanticId") is not null)
        {
            yield return ("UserSemanticId", "User", "UserId", "users");
        }
    }
}
