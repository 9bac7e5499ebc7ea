namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// One raw event of a generated learning task, as an ML.NET user would load it: user and item IDs as text, a timestamp
/// that orders each user's events, and the item's ideal semantic ID (the same on every row of an item).
/// </summary>
public sealed class CodedInteraction
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }

    public uint[] Codes { get; set; } = Array.Empty<uint>();
}
