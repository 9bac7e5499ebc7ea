using GenRec.MLNet.Training;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Options of the RQ-VAE semantic-ID tokenizer with LETTER's regularizers. The defaults are LETTER's released tokenizer
/// settings where the library implements them: 4 levels × 256 codes of dimension 32, AdamW lr 1e-3, weight decay 1e-4,
/// batch 1024, commitment weight 0.25, k-means initialization, both regularizers on (collaborative weight 0.02,
/// diversity weight 1e-4 over 10 code clusters) and Sinkhorn re-assignment of colliding items. Not LETTER's: the
/// encoder 512-256-128 is TIGER's (LETTER's script uses 2048-1024-512-256-128-64), training is 200 epochs (LETTER's
/// script: 20,000), and there is no Sinkhorn assignment during training (LETTER assigns the last level's codes by
/// Sinkhorn in every training step; here Sinkhorn only re-assigns colliding items after training).
/// <c>GenRecPresets.Letter()</c> and <c>GenRecPresets.Tiger()</c> give the papers' recipes (docs/presets.md). Shared
/// training knobs are in <see cref="TorchTrainerOptions"/>.
/// </summary>
public sealed class RqVaeOptions : TorchTrainerOptions
{
    /// <summary>Creates options with the defaults above.</summary>
    public RqVaeOptions()
    {
        NumberOfEpochs = 200;
        BatchSize = 1024;
        LearningRate = 1e-3;
        WeightDecay = 1e-4;
        // The tokenizer has no validation metric by default, so early stopping has nothing to watch.
        EarlyStoppingPatience = 0;
    }

    /// <summary>
    /// Hidden layer widths of the encoder MLP (input → these → <see cref="CodeDimension"/>); the decoder mirrors them.
    /// The default 512-256-128 is TIGER's; LETTER's script uses 2048-1024-512-256-128-64.
    /// </summary>
    public int[] EncoderLayerSizes = { 512, 256, 128 };

    /// <summary>Dimension of the latent vector and of every code.</summary>
    public int CodeDimension = 32;

    /// <summary>Number of residual quantization levels (codes per item before collision handling).</summary>
    public int Levels = 4;

    /// <summary>Codes per level.</summary>
    public int CodebookSize = 256;

    /// <summary>Commitment weight β of the quantization loss ‖sg[c] − r‖² (the codebook term ‖c − sg[r]‖² has weight 1).</summary>
    public double CommitmentWeight = 0.25;

    /// <summary>How the codebooks are initialized.</summary>
    public CodebookInitialization CodebookInitialization = CodebookInitialization.KMeans;

    /// <summary>Lloyd iterations of the k-means initialization and of the balanced k-means of the diversity regularizer.</summary>
    public int KMeansIterations = 20;

    /// <summary>
    /// Re-seed a code to a random residual of the current batch when it has not been chosen by any item for this many
    /// consecutive optimizer steps (prevents codebook collapse); 0 turns the reset off.
    /// </summary>
    public int DeadCodeResetSteps = 0;

    /// <summary>
    /// Weight α of LETTER's collaborative regularizer: an in-batch InfoNCE between each item's quantized vector and its
    /// collaborative-filtering embedding. 0 turns it off. LETTER's scripts use 0.1 (Beauty) and 0.01 (Instruments);
    /// the default 0.02 is the value the library's Beauty tokenizer benchmarks use. It needs CF embeddings
    /// (<see cref="SemanticIdTokenizerOptions.CollaborativeColumnName"/>); without them the weight is ignored and the
    /// trainer logs a warning, so a pipeline without a CF column trains the plain RQ-VAE (+ diversity) as before.
    /// </summary>
    public double CollaborativeWeight = 0.02;

    /// <summary>Temperature of the collaborative InfoNCE (both sides are L2-normalized, so logits are cosine / temperature).</summary>
    public double CollaborativeTemperature = 0.1;

    /// <summary>Weight of LETTER's diversity regularizer on the codebooks; 0 turns it off; LETTER uses 1e-4 (the default).</summary>
    public double DiversityWeight = 1e-4;

    /// <summary>
    /// Clusters per codebook for the diversity regularizer (size-constrained k-means, recomputed every epoch; LETTER: 10).
    /// Every cluster needs a second code to serve as the positive, so a codebook smaller than twice this number is
    /// split into <see cref="CodebookSize"/> / 2 clusters instead (the trainer logs it).
    /// </summary>
    public int DiversityClusters = 10;

    /// <summary>
    /// Dropout rate after every hidden layer of the encoder and decoder. Every other random draw of the trainer uses a
    /// private generator seeded from <see cref="TorchTrainerOptions.Seed"/>, but dropout masks come from torch's
    /// process-wide generator, so with dropout on, runs repeat exactly only when no other torch work runs concurrently.
    /// </summary>
    public double Dropout = 0.0;

    /// <summary>What to do about items that share a semantic ID after training.</summary>
    public CollisionHandling CollisionHandling = CollisionHandling.SinkhornReassign;

    /// <summary>Rounds of Sinkhorn re-assignment of colliding items (LETTER uses 20).</summary>
    public int SinkhornRounds = 20;

    /// <summary>Entropic regularization ε of the Sinkhorn assignment, on distances scaled to [0, 1] (LETTER: 0.003).</summary>
    public double SinkhornEpsilon = 0.003;

    /// <summary>Sinkhorn-Knopp balancing iterations per assignment.</summary>
    public int SinkhornIterations = 50;

    /// <summary>
    /// When true, every validation pass encodes all training items and reports −(collision rate), so the shared loop keeps
    /// the weights of the epoch with the fewest collisions (LETTER keeps that checkpoint) and early stopping, if enabled,
    /// watches it. When false (default) the final weights are kept.
    /// </summary>
    public bool SelectEpochByCollisionRate = false;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (EncoderLayerSizes is null)
        {
            throw new ArgumentNullException(nameof(EncoderLayerSizes), "EncoderLayerSizes must be an array (it may be empty for a linear encoder).");
        }

        for (int i = 0; i < EncoderLayerSizes.Length; i++)
        {
            if (EncoderLayerSizes[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(EncoderLayerSizes), EncoderLayerSizes[i], $"EncoderLayerSizes[{i}] is {EncoderLayerSizes[i]}; every layer needs at least 1 unit.");
            }
        }

        RequirePositive(CodeDimension, nameof(CodeDimension));
        RequirePositive(Levels, nameof(Levels));
        if (CodebookSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookSize), CodebookSize, "CodebookSize must be at least 2.");
        }

        RequireNonNegative(CommitmentWeight, nameof(CommitmentWeight));
        RequirePositive(KMeansIterations, nameof(KMeansIterations));
        RequireNonNegative(DeadCodeResetSteps, nameof(DeadCodeResetSteps));
        RequireNonNegative(CollaborativeWeight, nameof(CollaborativeWeight));
        RequirePositive(CollaborativeTemperature, nameof(CollaborativeTemperature));
        RequireNonNegative(DiversityWeight, nameof(DiversityWeight));
        RequirePositive(DiversityClusters, nameof(DiversityClusters));

        if (!double.IsFinite(Dropout) || Dropout < 0 || Dropout >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        }

        if (!Enum.IsDefined(CollisionHandling))
        {
            throw new ArgumentOutOfRangeException(nameof(CollisionHandling), CollisionHandling, "Unknown collision handling.");
        }

        if (!Enum.IsDefined(CodebookInitialization))
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookInitialization), CodebookInitialization, "Unknown codebook initialization.");
        }

        RequireNonNegative(SinkhornRounds, nameof(SinkhornRounds));
        RequirePositive(SinkhornEpsilon, nameof(SinkhornEpsilon));
        RequirePositive(SinkhornIterations, nameof(SinkhornIterations));
    }

    /// <summary>
    /// The clusters per codebook the diversity regularizer actually uses: <see cref="DiversityClusters"/>, at most
    /// <see cref="CodebookSize"/> / 2 so that every cluster has a second code.
    /// </summary>
    internal int EffectiveDiversityClusters => Math.Min(DiversityClusters, CodebookSize / 2);

    /// <summary>The architecture part of these options, for an input of <paramref name="inputDimension"/> features.</summary>
    internal RqVaeHyperparameters ToHyperparameters(int inputDimension) => new()
    {
        InputDimension = inputDimension,
        EncoderLayerSizes = (int[])EncoderLayerSizes.Clone(),
        CodeDimension = CodeDimension,
        Levels = Levels,
        CodebookSize = CodebookSize,
        Dropout = Dropout,
    };
}
