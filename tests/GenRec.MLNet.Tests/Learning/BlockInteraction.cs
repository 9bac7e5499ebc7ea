using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Learning;

/// <summary>One raw event of <see cref="ItemBlocksTask"/>: as <see cref="CodedInteraction"/>, plus the item's ideal CF embedding.</summary>
public sealed class BlockInteraction
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }

    public uint[] Codes { get; set; } = Array.Empty<uint>();

    [VectorType(ItemBlocksTask.EmbeddingDimension)]
    public float[] Embedding { get; set; } = Array.Empty<float>();
}
