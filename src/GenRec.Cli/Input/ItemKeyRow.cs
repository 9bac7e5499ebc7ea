namespace GenRec.Cli.Input;

/// <summary>
/// One row of the key data both item key columns are built from: the training items in order of first appearance, so
/// <c>Item</c> and a prediction row's <c>History</c> number the items identically.
/// </summary>
public sealed class ItemKeyRow
{
    /// <summary>The item's original ID.</summary>
    public string Item { get; set; } = string.Empty;
}
