using Microsoft.ML.Data;

namespace GenRec.Cli.Input;

/// <summary>
/// One raw interaction as the model reads it: original user and item IDs, a timestamp that orders the user's
/// history, and an optional history of original item IDs that a prediction row may bring (empty at training).
/// </summary>
public sealed class InteractionRow
{
    /// <summary>The user's original ID.</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>The item's original ID (empty on a prediction row that only asks for recommendations).</summary>
    public string Item { get; set; } = string.Empty;

    /// <summary>Orders each user's rows (file order when the input has no timestamps).</summary>
    public double Timestamp { get; set; }

    /// <summary>Original item IDs, oldest first, that a prediction row brings instead of the stored history.</summary>
    [VectorType]
    public string[] History { get; set; } = [];
}
