namespace GenRec.Samples.QuickStart;

/// <summary>One interaction row, in the README's shape (User, Item, Timestamp) plus an optional history to serve from.</summary>
public sealed class ShopRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }

    /// <summary>Item IDs, oldest first. Empty for training rows; a prediction row may fill it instead of naming a user.</summary>
    public string[] History { get; set; } = [];
}
