using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;

namespace GenRec.MLNet.Presets;

/// <summary>
/// LETTER (Wang et al., CIKM 2024, "Learnable Item Tokenization for Generative Recommendation") as instantiated on
/// TIGER (LETTER-TIGER), from the authors' released code: <c>RQ-VAE/main.py</c> and its scripts for the tokenizer,
/// <c>LETTER-TIGER/run_train.sh</c>, <c>utils.py</c> and the T5 config for the recommender. docs/presets.md has the table.
/// </summary>
internal static class LetterRecipe
{
    public static GenerativeRecipe Create() => new("LETTER", Tokenizer(), Recommender());

    private static SemanticIdTokenizerOptions Tokenizer() => new()
    {
        Method = SemanticIdMethod.RqVae,
        // LETTER's collaborative signal: the items' SASRec embeddings, i.e. the collaborative stage's output column.
        CollaborativeColumnName = "ItemEmbedding",
        RqVae = new RqVaeOptions
        {
            EncoderLayerSizes = [2048, 1024, 512, 256, 128, 64],
            CodeDimension = 32,
            Levels = 4,
            CodebookSize = 256,
            CommitmentWeight = 0.25,
            // Released: balanced (size-constrained) k-means over all items. Ours: plain k-means++ / Lloyd over all items.
            CodebookInitialization = CodebookInitialization.KMeans,
            KMeansIterations = 20,
            DeadCodeResetSteps = 0, // LETTER has no reset
            // Released Beauty run: α = 0.1 (Instruments: 0.01). Ours 0.02, in that range: our term is a symmetric
            // InfoNCE of L2-normalized vectors at temperature 0.1 (LETTER's: cross-entropy over raw dot products), so
            // equal weights are not equal strengths; 0.02 is what the library's Beauty tokenizer runs measured.
            CollaborativeWeight = 0.02,
            CollaborativeTemperature = 0.1,
            DiversityWeight = 1e-4,
            DiversityClusters = 10,
            Dropout = 0,
            // After training, colliding items are re-assigned on the last level by Sinkhorn (ε 0.003, 50 iterations,
            // up to 20 rounds). LETTER also assigns the last level by Sinkhorn in every training step; ours does not
            // (nearest code during training), which this preset cannot change.
            CollisionHandling = CollisionHandling.SinkhornReassign,
            SinkhornRounds = 20,
            SinkhornEpsilon = 0.003,
            SinkhornIterations = 50,
            // Released: evaluates the collision rate every 2,000 epochs and keeps the checkpoint with the fewest.
            SelectEpochByCollisionRate = true,
            ValidateEveryNEpochs = 2000,
            // Released Beauty codes come from the checkpoint of epoch 10,000 (main.py's default is 20,000 epochs).
            NumberOfEpochs = 10_000,
            BatchSize = 1024,
            LearningRate = 1e-3,
            WeightDecay = 1e-4,
            LearningRateSchedule = LearningRateSchedule.Constant,
            WarmupSteps = 0,
            GradientClipNorm = 0,
            EarlyStoppingPatience = 0,
        },
    };

    private static GenerativeRecommenderOptions Recommender() => new()
    {
        // Released T5 config: 4 + 4 layers, d_model 128, 6 heads of 64, d_ff 1024, dropout 0.1 (T5: ReLU, RMS norm,
        // relative position buckets). Ours: the same sizes in pre-norm blocks with GELU, LayerNorm, learned positions.
        Architecture = GenerativeArchitecture.EncoderDecoder,
        InputMode = GenerativeInputMode.CodeTokens,
        EncoderLayers = 4,
        DecoderLayers = 4,
        ModelDimension = 128,
        Heads = 6,
        HeadDimension = 64,
        FeedForwardDimension = 1024,
        Dropout = 0.1,
        MaxHistoryLength = 20,
        UseUserToken = false, // LETTER-TIGER's input has no user token
        UserHashBuckets = 2000,
        UserColumnName = null,
        // The ranking-guided loss is cross-entropy on logits / τ; the released script trains at τ = 1.0, where it is
        // plain cross-entropy. It normalizes over T5's whole vocabulary (text and code tokens); ours over every code
        // token (text tokens, never targets, are left out: they only add negatives the model soon learns to rule out).
        Temperature = 1.0,
        LossScope = GenerativeLossScope.WholeVocabulary,
        BeamSize = 20,
        HoldOutLastItemForValidation = true,
        // Released: AdamW lr 5e-4, weight decay 0.01, cosine with warm-up over 1% of the steps, 200 epochs, batch
        // 256 per GPU × 2 GPUs × 2 accumulation steps = 1,024, early stopping after 20 epochs without a better
        // validation loss. Warm-up: 1% of 200 epochs × 129 batches of Beauty = 258 steps. Ours stops on validation
        // Recall@10 (constrained beam search) rather than validation loss.
        BatchSize = 1024,
        LearningRate = 5e-4,
        WeightDecay = 0.01,
        LearningRateSchedule = LearningRateSchedule.Cosine,
        WarmupSteps = 258,
        GradientClipNorm = 1.0, // the Hugging Face Trainer's default max_grad_norm
        NumberOfEpochs = 200,
        EarlyStoppingPatience = 20,
        ValidateEveryNEpochs = 1,
    };
}
