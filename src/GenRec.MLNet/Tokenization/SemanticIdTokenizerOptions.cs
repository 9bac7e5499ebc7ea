using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.MLNet.Tokenization;

/// <summary>Options of <see cref="SemanticIdTokenizerEstimator"/>: which columns to read and write, and the quantizer's own options.</summary>
public sealed class SemanticIdTokenizerOptions
{
    /// <summary>
    /// Input key column (UInt32 key) of the entities to tokenize: items, or users for TokenRec's user IDs (with
    /// <see cref="SemanticIdMethod.MaskedKWay"/> and CF user embeddings as content). Each key appears in one row.
    /// </summary>
    public string ItemColumnName = "ItemId";

    /// <summary>Input content vector column (fixed-size Single vector), e.g. text vectors or CF embeddings.</summary>
    public string ContentColumnName = "Features";

    /// <summary>
    /// Optional CF embedding column (fixed-size Single vector), e.g. the collaborative stage's <c>ItemEmbedding</c>, for
    /// LETTER's collaborative regularization (RQ-VAE only). The regularizer is on by default
    /// (<see cref="RqVaeOptions.CollaborativeWeight"/> 0.02); while this column is null it is skipped and the trainer
    /// logs a warning. With <see cref="SemanticIdMethod.ResidualKMeans"/> the column is fused into the k-means input instead
    /// (<see cref="ResidualKMeansOptions.CollaborativeWeight"/>), and the transformer reads it at prediction too.
    /// </summary>
    public string? CollaborativeColumnName;

    /// <summary>Output column: the semantic ID, a vector of UInt32 codes, one per level.</summary>
    public string SemanticIdColumnName = "SemanticId";

    /// <summary>Output column: the quantized vector (sum of the chosen codes), a Single vector of the code dimension.</summary>
    public string QuantizedColumnName = "QuantizedVector";

    /// <summary>
    /// Which quantizer to train: <see cref="SemanticIdMethod.RqVae"/> (default), <see cref="SemanticIdMethod.MaskedKWay"/>
    /// or <see cref="SemanticIdMethod.ResidualKMeans"/>.
    /// </summary>
    public SemanticIdMethod Method = SemanticIdMethod.RqVae;

    /// <summary>The RQ-VAE's options (architecture, regularizers, collision handling, training); used when <see cref="Method"/> is RqVae.</summary>
    public RqVaeOptions RqVae = new();

    /// <summary>The masked K-way tokenizer's options (ways, codes per way, mask ratio, training); used when <see cref="Method"/> is MaskedKWay.</summary>
    public MaskedKWayOptions MaskedKWay = new();

    /// <summary>The residual k-means tokenizer's options (levels, codebook size, normalization, CF fusion); used when <see cref="Method"/> is ResidualKMeans.</summary>
    public ResidualKMeansOptions ResidualKMeans = new();

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

        switch (Method)
        {
            case SemanticIdMethod.RqVae:
                ArgumentNullException.ThrowIfNull(RqVae, nameof(RqVae));
                RqVae.Validate();
                break;
            case SemanticIdMethod.MaskedKWay:
                ArgumentNullException.ThrowIfNull(MaskedKWay, nameof(MaskedKWay));
                MaskedKWay.Validate();
                if (CollaborativeColumnName is not null)
                {
                    throw new ArgumentException(
                        "CollaborativeColumnName is LETTER's regularizer of the RQ-VAE; the masked K-way tokenizer takes the CF embeddings as its content column instead. Leave it null or use Method = RqVae.",
                        nameof(CollaborativeColumnName));
                }

                break;
            case SemanticIdMethod.ResidualKMeans:
                ArgumentNullException.ThrowIfNull(ResidualKMeans, nameof(ResidualKMeans));
                ResidualKMeans.Validate();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Method), Method, "Method must be RqVae, MaskedKWay or ResidualKMeans.");
        }
    }
}
