using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>Output row of the generative retrieval compute step.</summary>
public sealed class GenerativeRetrieveOutput
{
    /// <summary>Recommended item key values, best first.</summary>
    [ColumnName(GenerativeRetrieveMappingFactory.ItemsOutputColumn)]
    public uint[] Items = Array.Empty<uint>();

    /// <summary>Their cosine similarities to the encoded request.</summary>
    [ColumnName(GenerativeRetrieveMappingFactory.ScoresOutputColumn)]
    public float[] Scores = Array.Empty<float>();
}
