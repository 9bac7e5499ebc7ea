using GenRec.MLNet.Training;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Options of the generative recommender (TIGER / LETTER). The model sizes are those of LETTER's released recommender
/// (TIGER's too): 4 + 4 layers, d_model 128, 6 heads of 64, feed-forward 1024, dropout 0.1, history capped at 20
/// items, beam 20. The blocks are pre-norm transformer blocks with GELU, LayerNorm and learned absolute positions, not
/// T5's ReLU, RMS norm and relative position buckets. The training defaults are the library's, not a paper's: AdamW
/// lr 1e-3 with weight decay 0.01, batch 256, 200 warm-up steps then cosine decay over 20 epochs, gradient norm clipped
/// at 1, early stopping after 3 validations (LETTER: lr 5e-4, batch 1024, 200 epochs, patience 20; see
/// <see cref="Presets.GenRecPresets.Letter"/> and <see cref="Presets.GenRecPresets.Tiger"/>). Shared training knobs
/// are in <see cref="TorchTrainerOptions"/>.
/// </summary>
/// <remarks>
/// The trained weights depend only on these hyperparameters and the codebook sizes of the
/// <see cref="Tokenization.SemanticIdTable"/>, so a model is rebuilt from them plus
/// <see cref="GenerativeRecommenderModel.SaveWeights"/> (see <see cref="GenerativeRecommenderModel.Load"/>).
/// </remarks>
public sealed class GenerativeRecommenderOptions : TorchTrainerOptions
{
    /// <summary>Creates options with the defaults above (LETTER's model sizes, the library's training schedule).</summary>
    public GenerativeRecommenderOptions()
    {
        LearningRateSchedule = LearningRateSchedule.Cosine;
        WarmupSteps = 200;
        WeightDecay = 0.01;
        GradientClipNorm = 1.0;
    }

    /// <summary>
    /// Estimator input for pre-aggregated history rows: each row's item history, a vector of item keys (oldest
    /// first). Used by the estimator built with a <see cref="Tokenization.SemanticIdTable"/>; the interaction-row
    /// estimator reads <see cref="ItemColumnName"/> and <see cref="SemanticIdColumnName"/> instead.
    /// </summary>
    public string HistoryColumnName = "History";

    /// <summary>
    /// Interaction rows: the item key column (scalar UInt32 key, e.g. from <c>MapValueToKey</c>). Each user's rows,
    /// ordered by <see cref="TimestampColumnName"/> (then by row order), form that user's history. At prediction,
    /// a known item key in this column is ignored for recommending; the output item keys carry this column's key values.
    /// </summary>
    public string ItemColumnName = "ItemId";

    /// <summary>
    /// Interaction rows: the column holding each row's item semantic ID (vector of UInt32 codes), normally the
    /// tokenizer stage's output. Every row of an item must carry the same ID.
    /// </summary>
    public string SemanticIdColumnName = "SemanticId";

    /// <summary>Interaction rows: optional numeric timestamp column (Double, Single, Int64 or Int32) that orders each user's history.</summary>
    public string? TimestampColumnName;

    /// <summary>
    /// Interaction rows: an optional column (vector of item keys, oldest first, same key mapping as
    /// <see cref="ItemColumnName"/>) that lets a prediction row bring a history the model has not seen. It must
    /// exist at training too (its training values are ignored). At prediction a non-empty history is used as is;
    /// an empty one falls back to the user's training history; an unknown user with no history gets the model's
    /// prior (the items most likely to come first).
    /// </summary>
    public string? PredictionHistoryColumnName;

    /// <summary>
    /// The user key column (scalar UInt32 key). Interaction rows: required (default <c>UserId</c>); it groups the
    /// rows into histories, and at prediction a user key alone gets recommendations from that user's training
    /// history. Pre-aggregated history rows: optional, for TIGER's hashed user token; set it exactly when
    /// <see cref="UseUserToken"/> is on. At inference a user key 0 (unseen by the key mapping) gets the reserved
    /// unknown-user token.
    /// </summary>
    public string? UserColumnName;

    /// <summary>
    /// Estimator output: recommended items, best first, as a vector of the item key type (with the item column's
    /// key values, so <c>MapKeyToValue</c> gives the original IDs back).
    /// </summary>
    public string RecommendedItemsColumnName = "RecommendedItems";

    /// <summary>Estimator output: scores of the recommended items (sum of code log-probabilities).</summary>
    public string ScoresColumnName = "Scores";

    /// <summary>
    /// Estimator output (interaction rows): the score of the row's own (user, item) pair on the same scale as
    /// <see cref="ScoresColumnName"/> — the item's codes' log-probabilities given the user's history — or NaN when the
    /// row's item key is 0 (missing or unseen), as MatrixFactorization's <c>Score</c>.
    /// </summary>
    public string ScoreColumnName = "Score";

    /// <summary>Estimator: hold out the last item of each history to validate (on ValidationMetric, Recall@10 by default) for early stopping.</summary>
    public bool HoldOutLastItemForValidation = true;

    /// <summary>Transformer layout: encoder-decoder (TIGER/LETTER) or decoder-only.</summary>
    public GenerativeArchitecture Architecture = GenerativeArchitecture.EncoderDecoder;

    /// <summary>History input: L code tokens per item (TIGER) or one summed embedding per item (L times shorter).</summary>
    public GenerativeInputMode InputMode = GenerativeInputMode.CodeTokens;

    /// <summary>Encoder blocks (<see cref="GenerativeArchitecture.EncoderDecoder"/> only).</summary>
    public int EncoderLayers = 4;

    /// <summary>Decoder blocks; for <see cref="GenerativeArchitecture.DecoderOnly"/> the depth of the causal stack.</summary>
    public int DecoderLayers = 4;

    /// <summary>Model width d_model (embeddings, residual stream).</summary>
    public int ModelDimension = 128;

    /// <summary>Attention heads.</summary>
    public int Heads = 6;

    /// <summary>Width of one attention head; the attention inner width is Heads × HeadDimension and need not equal ModelDimension.</summary>
    public int HeadDimension = 64;

    /// <summary>Hidden width of the feed-forward sublayers (and of the decoder-only code head).</summary>
    public int FeedForwardDimension = 1024;

    /// <summary>Dropout rate in [0, 1).</summary>
    public double Dropout = 0.1;

    /// <summary>The most recent history items the model reads (20 in TIGER / LETTER); also the number of learned positions.</summary>
    public int MaxHistoryLength = 20;

    /// <summary>
    /// Temperature τ of LETTER's ranking-guided loss: cross-entropy on logits / τ. At the default τ = 1 it is plain
    /// cross-entropy, the generation loss TIGER uses; τ &lt; 1 sharpens the softmax and weighs hard negatives more.
    /// Which codes each step's softmax normalizes over is <see cref="LossScope"/>.
    /// </summary>
    public double Temperature = 1.0;

    /// <summary>
    /// What each generation step's softmax normalizes over, in training and in beam-search scores: the level's codes
    /// (<see cref="GenerativeLossScope.Level"/>, the default) or every code token
    /// (<see cref="GenerativeLossScope.WholeVocabulary"/>, LETTER's form). It changes no weights, only the normalization.
    /// </summary>
    public GenerativeLossScope LossScope = GenerativeLossScope.Level;

    /// <summary>Prepend TIGER's user token: the user index hashed into <see cref="UserHashBuckets"/> buckets.</summary>
    public bool UseUserToken;

    /// <summary>Number of user-token buckets (TIGER: 2,000); users sharing a bucket share a token.</summary>
    public int UserHashBuckets = 2000;

    /// <summary>
    /// Beams kept per user during constrained beam search. A request for more than BeamSize items decodes with
    /// k beams instead, since each beam yields at most one identifier.
    /// </summary>
    public int BeamSize = 20;

    /// <summary>Recommendations per user by default (used by the ML.NET transformer's ranking column).</summary>
    public int TopK = 10;

    /// <summary>
    /// Most users decoded together in one batched beam search (rows = users × beams). A pass also stops at 2,048 sequence
    /// positions (users × history tokens, or × beams when more), because bigger passes spill out of the processor caches
    /// and cost more per user (docs/benchmarks.md, decode-batching).
    /// </summary>
    public int DecodeBatchSize = 128;

    /// <summary>Whether validation (and the ranking column) skip items already in the user's history.</summary>
    public bool ExcludeHistoryFromRecommendations = true;

    /// <summary>At most this many validation users per validation pass (a fixed random subset; 0 = all).</summary>
    public int MaxValidationUsers;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(Architecture))
        {
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown architecture.");
        }

        if (!Enum.IsDefined(InputMode))
        {
            throw new ArgumentOutOfRangeException(nameof(InputMode), InputMode, "Unknown input mode.");
        }

        if (Architecture == GenerativeArchitecture.EncoderDecoder)
        {
            RequirePositive(EncoderLayers, nameof(EncoderLayers));
        }

        RequirePositive(DecoderLayers, nameof(DecoderLayers));
        RequirePositive(ModelDimension, nameof(ModelDimension));
        RequirePositive(Heads, nameof(Heads));
        RequirePositive(HeadDimension, nameof(HeadDimension));
        RequirePositive(FeedForwardDimension, nameof(FeedForwardDimension));
        RequireProbability(Dropout, nameof(Dropout));
        if (Dropout >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be less than 1.");
        }

        RequirePositive(MaxHistoryLength, nameof(MaxHistoryLength));
        RequirePositive(Temperature, nameof(Temperature));
        if (!Enum.IsDefined(LossScope))
        {
            throw new ArgumentOutOfRangeException(nameof(LossScope), LossScope, "Unknown loss scope.");
        }

        if (UseUserToken)
        {
            RequirePositive(UserHashBuckets, nameof(UserHashBuckets));
        }

        RequirePositive(BeamSize, nameof(BeamSize));
        RequirePositive(TopK, nameof(TopK));
        RequirePositive(DecodeBatchSize, nameof(DecodeBatchSize));
        RequireAtMost(BeamSize, Persistence.ModelFileLimits.MaxBeams, nameof(BeamSize)); // caps a model file must respect too
        RequireAtMost(TopK, Persistence.ModelFileLimits.MaxBeams, nameof(TopK));
        RequireAtMost(DecodeBatchSize, Persistence.ModelFileLimits.MaxBatch, nameof(DecodeBatchSize));
        RequireNonNegative(MaxValidationUsers, nameof(MaxValidationUsers));
    }

    /// <summary>A copy, so a trained model keeps the hyperparameters it was built with.</summary>
    public GenerativeRecommenderOptions Clone() => (GenerativeRecommenderOptions)MemberwiseClone();
}
