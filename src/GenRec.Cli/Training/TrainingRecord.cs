namespace GenRec.Cli.Training;

/// <summary>
/// What <c>genrec train</c> knows about a model that the ML.NET chain does not carry after <c>Model.Load</c>: the
/// curves of every stage, how the data was split, the item titles and the codebook sizes. It is stored as one extra
/// JSON entry inside the model zip (<see cref="Models.ModelFile"/>), which ML.NET's loader ignores.
/// </summary>
public sealed class TrainingRecord
{
    /// <summary>Version of this record's layout.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The preset trained (<c>small</c>, <c>tiger</c>, ...).</summary>
    public string Preset { get; set; } = string.Empty;

    /// <summary>The interactions file trained on.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Its format.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>True when each user's last interaction was held out of training (so <c>genrec evaluate</c> on the same file is fair).</summary>
    public bool HeldOutLastItem { get; set; }

    /// <summary>UTC time the training finished.</summary>
    public DateTime TrainedAtUtc { get; set; }

    /// <summary>Training rows, users and items after the hold-out.</summary>
    public int TrainingRows { get; set; }

    /// <summary>Users in the key mapping.</summary>
    public int Users { get; set; }

    /// <summary>Items in the key mapping.</summary>
    public int Items { get; set; }

    /// <summary>Recommendations per user.</summary>
    public int TopK { get; set; }

    /// <summary>Codebook size per level, by semantic-ID column (<c>SemanticId</c>, and <c>UserSemanticId</c> for TokenRec).</summary>
    public Dictionary<string, int[]> CodebookSizes { get; set; } = [];

    /// <summary>Item ID → title, when the input had titles.</summary>
    public Dictionary<string, string> ItemTitles { get; set; } = [];

    /// <summary>Curves and results per trained stage, in pipeline order.</summary>
    public List<StageCurve> Stages { get; set; } = [];
}
