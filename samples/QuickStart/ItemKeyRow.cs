namespace GenRec.Samples.QuickStart;

/// <summary>One item ID: the key list that both item mappings (ItemId and the history) are built from.</summary>
internal sealed class ItemKeyRow
{
    public string Item { get; set; } = "";
}
