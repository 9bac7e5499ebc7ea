using GenRec.MLNet.Training;

namespace GenRec.MLNet.Collaborative;

/// <summary>Options of <see cref="CollaborativeEmbeddingEstimator"/> (shared training knobs are in <see cref="TorchTrainerOptions"/>).</summary>
public sealed class CollaborativeEmbeddingOptions : TorchTrainerOptions
{
    /// <summary>Name of the input user key column.</summary>
    public string UserColumnName = "UserId";

    /// <summary>Name of the input item key column.</summary>
    public string ItemColumnName = "ItemId";

    /// <summary>Optional timestamp column that orders each user's interactions; null keeps the row order.</summary>
    public string? TimestampColumnName;

    /// <summary>
    /// SASRec only: an optional column (vector of item keys, oldest first, same key mapping as
    /// <see cref="ItemColumnName"/>) that lets a prediction row bring a history the model has not seen. It must exist
    /// in the training data too (its training values are ignored). At prediction a history with at least one known
    /// item is encoded as is; an empty one falls back to the user's training history, which the saved model carries.
    /// </summary>
    public string? PredictionHistoryColumnName;

    /// <summary>Output column for the user embedding (vector of <see cref="Dimension"/> floats).</summary>
    public string UserEmbeddingColumnName = "UserEmbedding";

    /// <summary>Output column for the item embedding.</summary>
    public string ItemEmbeddingColumnName = "ItemEmbedding";

    /// <summary>Output column for the recommended item keys (top <see cref="TopK"/>, best first).</summary>
    public string RecommendedItemsColumnName = "RecommendedItems";

    /// <summary>Output column for the scores of the recommended items.</summary>
    public string ScoresColumnName = "Scores";

    /// <summary>Which model to train.</summary>
    public CollaborativeModelKind Model = CollaborativeModelKind.MatrixFactorization;

    /// <summary>Embedding dimension.</summary>
    public int Dimension = 64;

    /// <summary>Training objective.</summary>
    public CollaborativeLoss Loss = CollaborativeLoss.Bpr;

    /// <summary>Negative items sampled per positive for <see cref="CollaborativeLoss.Bpr"/>.</summary>
    public int Negatives = 1;

    /// <summary>L2 penalty on the embeddings used in a batch (LightGCN/MF style regularization).</summary>
    public double L2Regularization = 1e-4;

    /// <summary>LightGCN propagation layers.</summary>
    public int GraphLayers = 3;

    /// <summary>SASRec: the most recent items of a history that the model reads.</summary>
    public int MaxHistoryLength = 50;

    /// <summary>SASRec: transformer blocks.</summary>
    public int Layers = 2;

    /// <summary>SASRec: attention heads (must divide <see cref="Dimension"/>).</summary>
    public int Heads = 1;

    /// <summary>SASRec: dropout rate.</summary>
    public double Dropout = 0.3;

    /// <summary>
    /// SASRec: number each item's position from the history's most recent item (0 = latest), as the original SASRec's
    /// left-padded input does, instead of from its oldest item. The latest item, whose output scores the next one, then
    /// always sits at the same position whatever the history's length. Off by default (the recipe the recorded figures
    /// were taken with); saved with the model.
    /// </summary>
    public bool RecencyPositions;

    /// <summary>How many recommendations the transformer's ranking column holds per user.</summary>
    public int TopK = 10;

    /// <summary>Whether the ranking column and <see cref="CollaborativeEmbeddingModel.Recommend(IReadOnlyList{Evaluation.RecommendationRequest}, int, bool)"/> skip items the user already has.</summary>
    public bool ExcludeHistoryFromRecommendations = true;

    /// <summary>Hold out each user's last item to validate (on ValidationMetric, Recall@10 by default) for early stopping; the held-out item is not trained on.</summary>
    public bool HoldOutLastItemForValidation = true;

    /// <summary>At most this many users are validated per validation pass (a random fixed subset; 0 = all).</summary>
    public int MaxValidationUsers = 0;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequirePositive(Dimension, nameof(Dimension));
        RequirePositive(Negatives, nameof(Negatives));
        RequireNonNegative(L2Regularization, nameof(L2Regularization));
        RequireNonNegative(GraphLayers, nameof(GraphLayers));
        RequirePositive(MaxHistoryLength, nameof(MaxHistoryLength));
        RequirePositive(Layers, nameof(Layers));
        RequirePositive(Heads, nameof(Heads));
        RequireProbability(Dropout, nameof(Dropout));
        RequirePositive(TopK, nameof(TopK));
        RequireAtMost(TopK, 100_000, nameof(TopK)); // a saved SASRec refuses more at load (a crafted file must not size huge lists)
        RequireNonNegative(MaxValidationUsers, nameof(MaxValidationUsers));
        if (Dimension % Heads != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"Heads ({Heads}) must divide Dimension ({Dimension}).");
        }

        if (!Enum.IsDefined(Model))
        {
            throw new ArgumentOutOfRangeException(nameof(Model), Model, "Unknown collaborative model.");
        }

        if (PredictionHistoryColumnName != null && Model != CollaborativeModelKind.SasRec)
        {
            // MF and LightGCN rank by a learned user vector: a history brought at prediction could not change the result.
            throw new ArgumentException($"PredictionHistoryColumnName is only used by SasRec, which encodes a history; {Model} ranks by the user key.", nameof(PredictionHistoryColumnName));
        }

        if (PredictionHistoryColumnName is { } history && string.IsNullOrWhiteSpace(history))
        {
            throw new ArgumentException("PredictionHistoryColumnName must name a column, or be null.", nameof(PredictionHistoryColumnName));
        }

        if (!Enum.IsDefined(Loss))
        {
            throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Unknown loss.");
        }

        foreach (var (value, name) in new[] { (UserColumnName, nameof(UserColumnName)), (ItemColumnName, nameof(ItemColumnName)), (UserEmbeddingColumnName, nameof(UserEmbeddingColumnName)), (ItemEmbeddingColumnName, nameof(ItemEmbeddingColumnName)), (RecommendedItemsColumnName, nameof(RecommendedItemsColumnName)), (ScoresColumnName, nameof(ScoresColumnName)) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column.", name);
            }
        }
    }
}
