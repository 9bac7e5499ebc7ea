using GenRec.MLNet.Training;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Options of TokenRec-style generative retrieval: a transformer encoder reads a prompt of the user's K-way code tokens
/// and an unordered set of history-item code tokens, a 3-layer MLP projects the pooled output into the space of fixed
/// collaborative (CF) item embeddings, and items are ranked by cosine similarity. Defaults: 2 layers, d 128, 4 heads,
/// feed-forward 512, dropout 0.1, at most 20 history items, margin γ = 0.1, one negative per positive (TokenRec's
/// pairwise loss). Shared training knobs are in <see cref="TorchTrainerOptions"/>.
/// </summary>
/// <remarks>
/// The trained weights depend only on these hyperparameters, the codebook sizes of the user and item code tables and
/// the CF dimension, so <see cref="GenerativeRetrievalModel.Load"/> rebuilds a model from them plus
/// <see cref="GenerativeRetrievalModel.SaveWeights"/>.
/// </remarks>
public sealed class GenerativeRetrievalOptions : TorchTrainerOptions
{
    /// <summary>Creates options with the defaults above, a short warm-up and gradient clipping.</summary>
    public GenerativeRetrievalOptions()
    {
        NumberOfEpochs = 50;
        BatchSize = 256;
        LearningRate = 1e-3;
        WeightDecay = 0.01;
        WarmupSteps = 100;
        GradientClipNorm = 1.0;
        EarlyStoppingPatience = 5;
    }

    /// <summary>Transformer encoder blocks.</summary>
    public int Layers = 2;

    /// <summary>Model width d (token embeddings, residual stream); must be divisible by <see cref="Heads"/>.</summary>
    public int ModelDimension = 128;

    /// <summary>Attention heads (each of width ModelDimension / Heads).</summary>
    public int Heads = 4;

    /// <summary>Hidden width of each block's feed-forward sublayer.</summary>
    public int FeedForwardDimension = 512;

    /// <summary>Dropout rate in [0, 1) (embeddings, attention, feed-forward). 0 makes training independent of torch's global generator.</summary>
    public double Dropout = 0.1;

    /// <summary>Put the user's K code tokens (one per way of the user tokenizer) into the prompt.</summary>
    public bool UseUserTokens = true;

    /// <summary>
    /// Start from the user's codes decoded into the CF space. Before retrieval training, a small decoder (an embedding
    /// per code, concatenated, and a two-layer MLP) is fitted to map each user's codes to their CF user embedding
    /// (<see cref="UserEmbeddingColumnName"/>; the trainer's <c>cfUserEmbeddings</c>) for
    /// <see cref="UserCodeAnchorEpochs"/> epochs, then frozen; the model's output is that decoded vector plus the
    /// transformer's projection, whose last layer starts at zero. Training therefore starts from the ranking the user's
    /// codes already give (close to the CF model's own when the codes are fine enough) and learns a correction from the
    /// whole prompt. The CF user embeddings are a training target only: at inference the model still sees a user
    /// through their codes alone. Needs <see cref="UseUserTokens"/>. Off by default (TokenRec's model has no such term).
    /// </summary>
    public bool UseUserCodeAnchor;

    /// <summary>Epochs (mini-batches of <see cref="TorchTrainerOptions.BatchSize"/> users) of fitting the user-code decoder of <see cref="UseUserCodeAnchor"/>.</summary>
    public int UserCodeAnchorEpochs = 300;

    /// <summary>
    /// Put the code tokens of the user's history items into the prompt: one token per (item, way), as an unordered set
    /// (no position embeddings), capped at <see cref="MaxHistoryLength"/> items.
    /// </summary>
    public bool UseHistoryTokens = true;

    /// <summary>
    /// The most history items in a prompt. In training they are drawn at random from the user's other training items;
    /// at inference the last <c>MaxHistoryLength</c> distinct items of the request's history are used.
    /// </summary>
    public int MaxHistoryLength = 20;

    /// <summary>The training loss: TokenRec's pairwise cosine loss (the default) or a softmax over the whole catalog.</summary>
    public RetrievalLoss Loss = RetrievalLoss.CosineMargin;

    /// <summary>
    /// How the encoded request is compared with each CF item embedding, in the loss and in ranking: TokenRec's
    /// <see cref="RetrievalSimilarity.Cosine"/> (the default) or the CF model's own <see cref="RetrievalSimilarity.DotProduct"/>.
    /// </summary>
    public RetrievalSimilarity Similarity = RetrievalSimilarity.Cosine;

    /// <summary>Temperature τ of <see cref="RetrievalLoss.Softmax"/> (cosines lie in [−1, 1], so a small τ spreads them).</summary>
    public double SoftmaxTemperature = 0.1;

    /// <summary>
    /// With <see cref="RetrievalLoss.Softmax"/>: leave the user's other training items out of each positive's softmax.
    /// They are not negatives (the user chose them too, and inference never recommends them, since the history is
    /// excluded from the ranking), so without this the loss pushes a user's own items below each other.
    /// </summary>
    public bool SoftmaxExcludesOtherKnownItems;

    /// <summary>Margin γ of the negative term max(0, cos(u, e_neg) − γ); TokenRec uses values in [0, 0.2].</summary>
    public double Margin = 0.1;

    /// <summary>Negatives per positive pair, drawn uniformly among the items the user has not interacted with (TokenRec: 1).</summary>
    public int NegativesPerPositive = 1;

    /// <summary>
    /// Positive items that share one encoded prompt in training. 1 encodes a separate prompt for every (user, item) pair;
    /// larger values encode each prompt once for several of the user's items (the prompt's history never contains them),
    /// which makes an epoch that many times cheaper while every pair is still a positive once per epoch.
    /// </summary>
    public int PositivesPerPrompt = 4;

    /// <summary>
    /// Hidden widths of the projection MLP from the pooled encoder output to the CF dimension: two widths make the
    /// 3-layer MLP (d → widths → CF dimension, GELU between layers).
    /// </summary>
    public int[] ProjectionHiddenSizes = { 256, 256 };

    /// <summary>Requests scored together at inference (one [batch × items] similarity matrix each).</summary>
    public int RecommendBatchSize = 256;

    /// <summary>
    /// Estimator input (history rows): each row's items, a vector of UInt32 item keys whose key count equals the number of CF item
    /// embeddings (key k = embedding row k − 1). The order does not matter (a set), repeats count once.
    /// </summary>
    public string HistoryColumnName = "History";

    /// <summary>
    /// Estimator input: a scalar UInt32 user key column (key k = row k − 1 of the user code table). History rows read it
    /// only when <see cref="UseUserTokens"/> is true, and rows with the same key are merged into one user's set.
    /// Interaction rows always read it: it groups the events into users. Null takes the layout's default:
    /// <c>User</c> for history rows, <c>UserId</c> for interaction rows (the key column of the one-pipeline layout).
    /// </summary>
    public string? UserColumnName;

    /// <summary>Interaction rows: the scalar item key column of each event (the recommendations carry its key type and values).</summary>
    public string ItemColumnName = "ItemId";

    /// <summary>Interaction rows: an optional numeric column that orders each user's events (row order otherwise).</summary>
    public string? TimestampColumnName;

    /// <summary>
    /// Interaction rows: each item's CF embedding, a known-size vector of Single (e.g. the collaborative stage's
    /// <c>ItemEmbedding</c> output). Every row of an item must carry the same vector.
    /// </summary>
    public string ItemEmbeddingColumnName = "ItemEmbedding";

    /// <summary>
    /// Interaction rows: each item's codes, a vector of UInt32 (e.g. a K-way tokenizer stage's <c>SemanticId</c>
    /// output); read when <see cref="UseHistoryTokens"/>. Every row of an item must carry the same codes.
    /// </summary>
    public string SemanticIdColumnName = "SemanticId";

    /// <summary>
    /// Interaction rows: each user's CF embedding, a known-size vector of Single (e.g. the collaborative stage's
    /// <c>UserEmbedding</c> output), read only with <see cref="UseUserCodeAnchor"/> as the decoder's training target.
    /// Every row of a user must carry the same vector.
    /// </summary>
    public string UserEmbeddingColumnName = "UserEmbedding";

    /// <summary>
    /// Interaction rows: each user's codes, a vector of UInt32, read when <see cref="UseUserTokens"/>; e.g. a second
    /// tokenizer stage over users (<c>ItemColumnName = "UserId"</c>, <c>ContentColumnName = "UserEmbedding"</c>,
    /// <c>SemanticIdColumnName = "UserSemanticId"</c>). Every row of a user must carry the same codes.
    /// </summary>
    public string UserSemanticIdColumnName = "UserSemanticId";

    /// <summary>
    /// Interaction rows, prediction only: an optional vector of item keys (same mapping as <see cref="ItemColumnName"/>)
    /// that a row may bring; a non-empty one is used instead of the user's stored training history.
    /// </summary>
    public string? PredictionHistoryColumnName;

    /// <summary>
    /// Estimator output: the recommended items, best first: a vector of the item key type with its key values when
    /// trained on interaction rows (so <c>MapKeyToValue</c> gives the original IDs), UInt32 item key values otherwise.
    /// </summary>
    public string RecommendedItemsColumnName = "RecommendedItems";

    /// <summary>Estimator output: the recommended items' similarities to the encoded request (cosine or dot product, <see cref="Similarity"/>; Single vector, descending).</summary>
    public string ScoresColumnName = "Scores";

    /// <summary>Recommendations per row of the estimator's output columns.</summary>
    public int TopK = 10;

    /// <summary>Whether the estimator's output columns skip items already in the row's history.</summary>
    public bool ExcludeHistoryFromRecommendations = true;

    /// <summary>
    /// Estimator: hold out the last item of each row with at least two items and validate on them (ValidationMetric, Recall@10 by default) for early
    /// stopping. Off by default: the training rows are sets, so "last" only means something when the input is ordered.
    /// </summary>
    public bool HoldOutLastItemForValidation;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireAtLeast(Layers, 1, nameof(Layers));
        RequireAtLeast(ModelDimension, 1, nameof(ModelDimension));
        RequireAtLeast(Heads, 1, nameof(Heads));
        if (ModelDimension % Heads != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"ModelDimension ({ModelDimension}) must be divisible by Heads ({Heads}).");
        }

        RequireAtLeast(FeedForwardDimension, 1, nameof(FeedForwardDimension));
        if (!double.IsFinite(Dropout) || Dropout < 0 || Dropout >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        }

        if (!UseUserTokens && !UseHistoryTokens)
        {
            throw new ArgumentException("UseUserTokens and UseHistoryTokens are both false: the prompt would say nothing about the user. Enable at least one.", nameof(UseUserTokens));
        }

        if (UseUserCodeAnchor && !UseUserTokens)
        {
            throw new ArgumentException("UseUserCodeAnchor decodes the user's codes, but UseUserTokens is false: the prompt has no user codes. Enable UseUserTokens or turn the anchor off.", nameof(UseUserCodeAnchor));
        }

        RequireAtLeast(UserCodeAnchorEpochs, 1, nameof(UserCodeAnchorEpochs));
        RequireAtLeast(MaxHistoryLength, 1, nameof(MaxHistoryLength));
        if (!Enum.IsDefined(Loss))
        {
            throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Unknown retrieval loss.");
        }

        if (!Enum.IsDefined(Similarity))
        {
            throw new ArgumentOutOfRangeException(nameof(Similarity), Similarity, "Unknown retrieval similarity.");
        }

        if (Similarity == RetrievalSimilarity.DotProduct && Loss != RetrievalLoss.Softmax)
        {
            throw new ArgumentException($"Similarity = DotProduct needs Loss = Softmax: the {Loss} loss is defined on cosines.", nameof(Similarity));
        }

        if (!double.IsFinite(SoftmaxTemperature) || SoftmaxTemperature <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SoftmaxTemperature), SoftmaxTemperature, "SoftmaxTemperature must be a positive number.");
        }

        if (!double.IsFinite(Margin) || Margin < -1 || Margin >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "Margin must be in [-1, 1) (a cosine threshold; TokenRec uses 0 to 0.2).");
        }

        RequireAtLeast(NegativesPerPositive, 0, nameof(NegativesPerPositive));
        RequireAtLeast(PositivesPerPrompt, 1, nameof(PositivesPerPrompt));
        if (ProjectionHiddenSizes is null)
        {
            throw new ArgumentNullException(nameof(ProjectionHiddenSizes), "ProjectionHiddenSizes must be an array (empty for a single linear layer).");
        }

        for (int i = 0; i < ProjectionHiddenSizes.Length; i++)
        {
            if (ProjectionHiddenSizes[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ProjectionHiddenSizes), ProjectionHiddenSizes[i], $"ProjectionHiddenSizes[{i}] is {ProjectionHiddenSizes[i]}; every layer needs at least 1 unit.");
            }
        }

        RequireAtLeast(RecommendBatchSize, 1, nameof(RecommendBatchSize));
        RequireAtLeast(TopK, 1, nameof(TopK));
        RequireAtMost(TopK, Persistence.ModelFileLimits.MaxTopK, nameof(TopK)); // caps a model file must respect too
        RequireAtMost(RecommendBatchSize, Persistence.ModelFileLimits.MaxBatch, nameof(RecommendBatchSize));
    }

    /// <summary>A copy with its own <see cref="ProjectionHiddenSizes"/> array, so a model's hyperparameters cannot be changed from outside.</summary>
    public GenerativeRetrievalOptions Clone()
    {
        var copy = (GenerativeRetrievalOptions)MemberwiseClone();
        copy.ProjectionHiddenSizes = (int[])ProjectionHiddenSizes.Clone();
        return copy;
    }

    private static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");
        }
    }
}
