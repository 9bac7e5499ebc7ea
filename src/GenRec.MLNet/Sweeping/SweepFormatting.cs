using System.Collections;
using System.Globalization;

namespace GenRec.MLNet.Sweeping;

/// <summary>How sampled values are written in logs, trial tables and <see cref="TrialResult{TOptions}.ToString"/>.</summary>
internal static class SweepFormatting
{
    public static string Value(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable sequence => "[" + string.Join(", ", sequence.Cast<object?>().Select(Value)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static string Parameters(IEnumerable<KeyValuePair<string, object?>> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key}={Value(p.Value)}"));
}
