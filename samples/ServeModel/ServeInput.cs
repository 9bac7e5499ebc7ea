namespace GenRec.Samples.ServeModel;

/// <summary>
/// The row the model is asked about: the README's interaction shape (User, Item, Timestamp) plus a History of item
/// IDs. Only User (a known user) or History (a known list of items) is filled; the other columns exist because the
/// saved pipeline's first stages read them.
/// </summary>
public sealed class ServeInput
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }

    public string[] History { get; set; } = [];
}
