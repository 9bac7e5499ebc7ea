using System.Collections;
using System.Globalization;
using System.Reflection;

namespace GenRec.MLNet.Training;

/// <summary>
/// What a checkpoint is bound to: the component that trains, the resolved seed, a hash of the training data and every
/// option that shapes the result. Resuming under any other fingerprint would continue someone else's run, so
/// <see cref="TrainingLoop"/> refuses it and names what differs.
/// </summary>
internal sealed class TrainingFingerprint
{
    // Knobs that change how a run is observed or interrupted, never what it computes: resuming with another log
    // interval, checkpoint interval, time budget or device is legitimate (e.g. the next slice of a preemptible job).
    private static readonly HashSet<string> OperationalOptions = new(StringComparer.Ordinal)
    {
        nameof(TorchTrainerOptions.CheckpointDirectory),
        nameof(TorchTrainerOptions.CheckpointEveryNSteps),
        nameof(TorchTrainerOptions.LogEveryNSteps),
        nameof(TorchTrainerOptions.Progress),
        nameof(TorchTrainerOptions.CancellationToken),
        nameof(TorchTrainerOptions.MaxTrainingTime),
        nameof(TorchTrainerOptions.Device),
    };

    public string Component { get; set; } = "";

    public int Seed { get; set; }

    public string Data { get; set; } = "";

    public SortedDictionary<string, string> Options { get; set; } = new(StringComparer.Ordinal);

    public static TrainingFingerprint Create(string component, TorchTrainerOptions options, int seed, string dataHash)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        foreach (FieldInfo field in options.GetType().GetFields(Public))
        {
            Record(values, field.Name, field.GetValue(options));
        }

        foreach (PropertyInfo property in options.GetType().GetProperties(Public))
        {
            if (property.CanRead && property.GetIndexParameters().Length == 0)
            {
                Record(values, property.Name, property.GetValue(options));
            }
        }

        return new TrainingFingerprint { Component = component, Seed = seed, Data = dataHash, Options = values };
    }

    /// <summary>Human-readable differences from <paramref name="stored"/> (empty when the two match).</summary>
    public IReadOnlyList<string> DifferencesFrom(TrainingFingerprint stored)
    {
        var differences = new List<string>();
        if (stored.Component != Component)
        {
            differences.Add($"it was written by '{stored.Component}', this run is '{Component}'");
        }

        if (stored.Seed != Seed)
        {
            differences.Add($"seed {stored.Seed} there, {Seed} now");
        }

        if (stored.Data != Data)
        {
            differences.Add("the training data differ (another data hash)");
        }

        foreach (string name in stored.Options.Keys.Union(Options.Keys).Order(StringComparer.Ordinal))
        {
            string before = stored.Options.GetValueOrDefault(name, "(absent)");
            string now = Options.GetValueOrDefault(name, "(absent)");
            if (before != now)
            {
                differences.Add($"{name} = {before} there, {now} now");
            }
        }

        return differences;
    }

    private static void Record(SortedDictionary<string, string> values, string name, object? value)
    {
        if (!OperationalOptions.Contains(name))
        {
            values[name] = Format(value);
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
