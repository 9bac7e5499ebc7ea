using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Learning;

/// <summary>One raw event of <see cref="PlantedClustersTask"/>: user and item IDs, a timestamp, and the item's content vector.</summary>
public sealed class ClusteredInteraction
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }

    [VectorType(PlantedClustersTask.Dimension)]
    public float[] Features { get; set; } = Array.Empty<float>();
}
