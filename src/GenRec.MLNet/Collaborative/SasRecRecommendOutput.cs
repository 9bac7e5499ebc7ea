using Microsoft.ML.Data;

namespace GenRec.MLNet.Collaborative;

/// <summary>Output row of a saved SASRec's compute step: raw item keys, turned into the item key type further down the chain.</summary>
public sealed class SasRecRecommendOutput
{
    /// <summary>Recommended raw item key values (index + 1), best first.</summary>
    [ColumnName(SasRecRecommendMappingFactory.ItemsOutputColumn)]
    public uint[] Items = Array.Empty<uint>();

    /// <summary>Their scores (dot product of the history encoding with the item embedding).</summary>
    [ColumnName(SasRecRecommendMappingFactory.ScoresOutputColumn)]
    public float[] Scores = Array.Empty<float>();
}
