using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Training;

namespace GenRec.MLNet.Presets;

/// <summary>
/// TokenRec (Qu et al., 2024, "TokenRec: Learning to Tokenize ID for LLM-based Generative Recommendation"): the
/// masked K-way tokenizer (MQ-Tokenizer) for items and users and generative retrieval, from the paper and the authors'
/// released code (<c>code/parse.py</c>, <c>vq.py</c>, <c>model.py</c>, <c>train.py</c>). docs/presets.md has the table.
/// </summary>
internal static class TokenRecRecipe
{
    public static RetrievalRecipe Create() => new(
        "TokenRec",
        Tokenizer(keyColumn: "ItemId", embeddingColumn: "ItemEmbedding", codesColumn: "SemanticId", quantizedColumn: "QuantizedVector"),
        // The user codes get their own columns, the ones the retrieval reads, so both tokenizers fit in one pipeline
        // without the second overwriting the item codes.
        Tokenizer(keyColumn: "UserId", embeddingColumn: "UserEmbedding", codesColumn: "UserSemanticId", quantizedColumn: "UserQuantizedVector"),
        Retrieval());

    /// <summary>Items and users are tokenized with the same settings, each from its own CF embeddings (64-d LightGCN in TokenRec).</summary>
    private static SemanticIdTokenizerOptions Tokenizer(string keyColumn, string embeddingColumn, string codesColumn, string quantizedColumn) => new()
    {
        Method = SemanticIdMethod.MaskedKWay,
        ItemColumnName = keyColumn,
        ContentColumnName = embeddingColumn,
        SemanticIdColumnName = codesColumn,
        QuantizedColumnName = quantizedColumn,
        MaskedKWay = new MaskedKWayOptions
        {
            // K = 3 ways of L = 256 codes (the paper uses 512 codes for larger data).
            Ways = 3,
            CodebookSize = 256,
            // Released code: codes of dimension 512, each way's encoder 64 → 128 → 256 → 512 and the decoder back.
            CodeDimension = 512,
            EncoderLayerSizes = [128, 256],
            MaskRatio = 0.2, // the paper's best ratio; 0.5 and above hurts
            CommitmentWeight = 0.25,
            // Released: every codebook is re-fitted by k-means every 50 epochs, which also revives unused codes.
            // Ours fits once and re-seeds only codes unused for 20 steps (on Last.fm it raised code utilization from
            // about 0.45 to 0.96 for items and 0.24 to 0.99 for users; see MaskedKWayOptions.DeadCodeResetSteps).
            KMeansInit = true,
            KMeansIterations = 20,
            DeadCodeResetSteps = 20,
            // Released: AdamW lr 1e-3, weight decay 0.01, batch 512, 1,000 epochs, however small the table (no step minimum).
            NumberOfEpochs = 1000,
            MinimumTrainingSteps = 0,
            BatchSize = 512,
            LearningRate = 1e-3,
            WeightDecay = 0.01,
            LearningRateSchedule = LearningRateSchedule.Constant,
            WarmupSteps = 0,
            GradientClipNorm = 0,
            EarlyStoppingPatience = 0,
            ValidateEveryNEpochs = 1,
        },
    };

    private static GenerativeRetrievalOptions Retrieval() => new()
    {
        // TokenRec's backbone is a pretrained T5-small (d 512, 6 layers, 8 heads, d_ff 2048) fine-tuned at lr 5e-5.
        // No pretrained language model runs in-process here, so ours is a small encoder trained from scratch, at the
        // library's sizes and learning rate.
        Layers = 2,
        ModelDimension = 128,
        Heads = 4,
        FeedForwardDimension = 512,
        Dropout = 0.1,
        // The prompt: the user's K code tokens and the code tokens of an unordered set of history items (released: up to 50).
        UseUserTokens = true,
        UseHistoryTokens = true,
        MaxHistoryLength = 50,
        // Pairwise cosine loss with one uniformly drawn negative per positive. Paper: margin γ in [0, 0.2]; released:
        // PyTorch's CosineEmbeddingLoss at its default margin 0. Ours: 0.1. Set explicitly: the library's softmax loss
        // measured better on Last.fm (docs/benchmarks.md, retrieval-lastfm), but it is not TokenRec's.
        Loss = RetrievalLoss.CosineMargin,
        Margin = 0.1,
        NegativesPerPositive = 1,
        // Released: one prompt per (user, item) pair. Ours encodes one prompt for 4 of the user's items: every pair is
        // still a positive once per epoch, at a quarter of the cost.
        PositivesPerPrompt = 4,
        // Paper: a 3-layer MLP onto the CF embedding space (released: 2 layers, hidden 256).
        ProjectionHiddenSizes = [256, 256],
        // Released: AdamW, weight decay 0.01, batch 128, 100 epochs.
        BatchSize = 128,
        LearningRate = 1e-3,
        WeightDecay = 0.01,
        LearningRateSchedule = LearningRateSchedule.Constant,
        WarmupSteps = 100, // ours (none released), as the from-scratch encoder's library default
        GradientClipNorm = 1.0, // ours (none released)
        NumberOfEpochs = 100,
        EarlyStoppingPatience = 5,
        ValidateEveryNEpochs = 1,
        HoldOutLastItemForValidation = false,
    };
}
