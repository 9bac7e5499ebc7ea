using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;

namespace GenRec.MLNet.Presets;

/// <summary>
/// TIGER (Rajput et al., NeurIPS 2023, "Recommender Systems with Generative Retrieval"), section 4's implementation
/// details. TIGER has no official code release; where the paper is silent, the value of LETTER's TIGER
/// reimplementation (LETTER-TIGER) or the library's default is used and said so. docs/presets.md has the table.
/// </summary>
internal static class TigerRecipe
{
    public static GenerativeRecipe Create() => new("TIGER", Tokenizer(), Recommender());

    private static SemanticIdTokenizerOptions Tokenizer() => new()
    {
        Method = SemanticIdMethod.RqVae,
        CollaborativeColumnName = null, // TIGER's tokenizer reads content only
        RqVae = new RqVaeOptions
        {
            // Encoder: three hidden layers 512-256-128 (ReLU) down to a 32-d latent; the decoder mirrors it.
            EncoderLayerSizes = [512, 256, 128],
            CodeDimension = 32,
            // Three levels of 256 codes; the fourth level that separates colliding items comes from ExtraLevel.
            Levels = 3,
            CodebookSize = 256,
            CollisionHandling = CollisionHandling.ExtraLevel,
            CommitmentWeight = 0.25,
            // Paper: k-means on the first training batch. Ours: k-means on every item (the same idea, no batch choice).
            CodebookInitialization = CodebookInitialization.KMeans,
            KMeansIterations = 20, // not stated in the paper; library default
            DeadCodeResetSteps = 0, // the paper has no reset (it trains 20k epochs for codebook usage ≥ 80%)
            // TIGER has neither of LETTER's regularizers.
            CollaborativeWeight = 0,
            CollaborativeTemperature = 0.1,
            DiversityWeight = 0,
            DiversityClusters = 10,
            Dropout = 0,
            // Unused with ExtraLevel; kept at LETTER's values so switching CollisionHandling gives LETTER's re-assignment.
            SinkhornRounds = 20,
            SinkhornEpsilon = 0.003,
            SinkhornIterations = 50,
            SelectEpochByCollisionRate = false,
            // Paper: 20k epochs, batch 1024, Adagrad lr 0.4. The shared loop only has AdamW, and 0.4 is an Adagrad step
            // size (AdamW moves every weight by about lr per step), so ours uses LETTER's AdamW lr 1e-3.
            NumberOfEpochs = 20_000,
            BatchSize = 1024,
            LearningRate = 1e-3,
            WeightDecay = 0, // none stated
            LearningRateSchedule = LearningRateSchedule.Constant,
            WarmupSteps = 0,
            GradientClipNorm = 0,
            EarlyStoppingPatience = 0,
            ValidateEveryNEpochs = 1,
        },
    };

    private static GenerativeRecommenderOptions Recommender() => new()
    {
        // Paper: T5X encoder-decoder, 4 + 4 layers, 6 heads of 64, MLP 1024, input dimension 128, dropout 0.1, ReLU.
        // Ours: the same sizes in pre-norm blocks with GELU, LayerNorm and learned absolute positions.
        Architecture = GenerativeArchitecture.EncoderDecoder,
        InputMode = GenerativeInputMode.CodeTokens, // TIGER's input: every code of every history item is a token
        EncoderLayers = 4,
        DecoderLayers = 4,
        ModelDimension = 128,
        Heads = 6,
        HeadDimension = 64,
        FeedForwardDimension = 1024,
        Dropout = 0.1,
        MaxHistoryLength = 20, // LETTER-TIGER's cap; the TIGER paper gives none we could confirm
        // The user token: user IDs hashed into 2,000 buckets, prepended to the history.
        UseUserToken = true,
        UserHashBuckets = 2000,
        UserColumnName = "UserId",
        Temperature = 1.0, // TIGER trains with plain cross-entropy
        // T5X's softmax runs over the model's whole vocabulary (codes of every level and the user tokens); ours over
        // every code token (user tokens are inputs only, never generated).
        LossScope = GenerativeLossScope.WholeVocabulary,
        BeamSize = 20, // not stated in the paper; LETTER-TIGER's beam
        HoldOutLastItemForValidation = true,
        // Paper: batch 256, lr 0.01 for the first 10k steps then inverse square root decay, 200k steps (Beauty), with
        // T5X's optimizer (Adafactor, whose step is relative to each weight's scale). Ours: AdamW at the library's
        // 1e-3 (0.01 is far above what AdamW transformer recipes use, LETTER's 5e-4 included), rising linearly over
        // the 10k steps instead of starting at its peak, then the same inverse-square-root decay.
        BatchSize = 256,
        LearningRate = 1e-3,
        LearningRateSchedule = LearningRateSchedule.InverseSquareRoot,
        WarmupSteps = 10_000,
        WeightDecay = 0.01, // not stated; the library default (LETTER's value)
        GradientClipNorm = 1.0, // not stated; the library default
        // 200k steps of 256 = 390 epochs of Beauty's 131,413 training prefixes. The paper trains for a fixed number of
        // steps; ours validates every epoch, keeps the best weights and does not stop early.
        NumberOfEpochs = 390,
        EarlyStoppingPatience = 0,
        ValidateEveryNEpochs = 1,
    };
}
