using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.MLNet.Tokenization;

/// <summary>Options of <see cref="SemanticIdTokenizerEstimator"/>: which columns to read and write, and the quantizer's own options.</summary>
public sealed class SemanticIdTokenizerOptions
{
    /// <summary>Input item key column (UInt32 key). Each item appears in at most one row.</summary>
    public string ItemColumnName = "ItemId";

    /// <summary>Input content vector column (fixed-size Single vector), e.g. text vectors or CF embeddings.</summary>
    public string ContentColumnName = "Features";

    /// <summary>
    /// Optional CF embedding column (fixed-size Single vector) for LETTER's collaborative regularization
    /// (used when <see cref="RqVaeOptions.CollaborativeWeight"/> &gt; 0).
    /// </summary>
    public string? CollaborativeColumnName;

    /// <summary>Output column: the semantic ID, a vector of UInt32 codes, one per level.</summary>
    public string SemanticIdColumnName = "SemanticId";

    /// <summary>Output column: the quantized vector (sum of the chosen codes), a Single vector of the code dimension.</summary>
    public string QuantizedColumnName = "QuantizedVector";

    /// <summary>The RQ-VAE's options (architecture, regularizers, collision handling, training).</summary>
    public RqVaeOptions RqVae = new();

    /// <summary>Checks the column names and the quantizer options, naming what is wrong.</summary>
    public void Validate()
    {
        foreach (var (value, name) in new[] { (ItemColumnName, nameof(ItemColumnName)), (ContentColumnName, nameof(ContentColumnName)), (SemanticIdColumnName, nameof(SemanticIdColumnName)), (QuantizedColumnName, nameof(QuantizedColumnName)) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column.", name);
            }
        }

        ArgumentNullException.ThrowIfNull(RqVae, nameof(RqVae));
        RqVae.Validate();
    }
}
