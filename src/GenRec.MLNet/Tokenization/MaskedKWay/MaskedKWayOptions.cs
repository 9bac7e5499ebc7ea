using GenRec.MLNet.Training;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// Options of TokenRec's masked K-way tokenizer (MQ-Tokenizer). The structure follows TokenRec: K = 3 parallel
/// codebooks of 256 codes (use 512 for large catalogs), mask ratio 0.2 (their best; 0.5 and above hurts), 3-layer MLP
/// encoders and decoder, commitment weight 0.25, for 64-d collaborative embeddings. Not TokenRec's: the code dimension
/// is 64 (TokenRec's released code uses 512), training is 100 epochs at batch 256 (released: 1,000 epochs at batch
/// 512) and unused codes are re-seeded (<see cref="DeadCodeResetSteps"/>); <see cref="Presets.GenRecPresets.TokenRec"/>
/// gives TokenRec's settings. The same options tokenize items (input: CF item embeddings) and users (input: CF user
/// embeddings). Shared training knobs are in <see cref="TorchTrainerOptions"/>.
/// <para>
/// An epoch is one pass over the vectors, so 100 epochs of a small table are few optimizer steps: 100 epochs of
/// Last.fm's 1,090 users are about 500. There the user codes decoded back kept 84 % of LightGCN's HR@10 and gave 87 %
/// of users a unique ID; TokenRec's 1,000 epochs (5,000 steps) kept all of it and 98 % (docs/benchmarks.md,
/// retrieval-lastfm). <see cref="MinimumTrainingSteps"/> (default 5,000) therefore raises the epochs of small tables;
/// tables of 12,800 vectors or more train the 100 epochs as set.
/// </para>
/// <para>
/// Inputs on the value scale of CF embeddings (|x| up to about 1) train well. AdamW moves a code by about
/// <see cref="TorchTrainerOptions.LearningRate"/> per step, so with much larger inputs the codes trail the encoders,
/// vectors pile onto few codes and the loss can rise; scale such inputs down first.
/// </para>
/// </summary>
public sealed class MaskedKWayOptions : TorchTrainerOptions
{
    /// <summary>Creates options with the defaults above.</summary>
    public MaskedKWayOptions()
    {
        NumberOfEpochs = 100;
        BatchSize = 256;
        LearningRate = 1e-3;
        // The tokenizer has no validation metric, so early stopping would have nothing to watch.
        EarlyStoppingPatience = 0;
    }

    /// <summary>
    /// The fewest optimizer steps to train: when <see cref="TorchTrainerOptions.NumberOfEpochs"/> passes over the
    /// vectors are fewer steps (a small table), the epochs are raised to reach this many, and the log says so.
    /// <see cref="TorchTrainerOptions.MaxTrainingTime"/> still bounds the training. 0 trains exactly NumberOfEpochs.
    /// </summary>
    public int MinimumTrainingSteps = 5000;

    /// <summary>Number of parallel ways K: independent encoder + codebook pairs; every ID has K codes.</summary>
    public int Ways = 3;

    /// <summary>Codes per way L (TokenRec: 256 for items; 512 for larger data). Training needs at least this many vectors.</summary>
    public int CodebookSize = 256;

    /// <summary>Dimension of every way's encoding and of every code. The default 64 is the library's (cheaper); TokenRec's released code uses 512.</summary>
    public int CodeDimension = 64;

    /// <summary>
    /// Hidden widths of each way's encoder MLP (input → these → <see cref="CodeDimension"/>); two widths make the paper's
    /// 3-layer MLP. The K-to-1 decoder mirrors them (code → reversed widths → input). Defaults follow TokenRec's code.
    /// </summary>
    public int[] EncoderLayerSizes = { 128, 256 };

    /// <summary>
    /// Probability ρ that an input feature is zeroed (independently per vector and feature) before the encoders, in
    /// training only; encoding for IDs never masks. The reconstruction target is the unmasked input.
    /// </summary>
    public double MaskRatio = 0.2;

    /// <summary>Commitment weight β of each way's quantization loss ‖sg[c] − z‖² (the codebook term ‖c − sg[z]‖² has weight 1).</summary>
    public double CommitmentWeight = 0.25;

    /// <summary>
    /// Re-seed a code to a random encoding of the current batch (of its own way) when no vector has chosen it for this
    /// many consecutive optimizer steps; fights codebook collapse. 0 turns the reset off (the paper has none). Default
    /// 20: on LastFM LightGCN embeddings (K = 3, L = 256, 100 epochs) it raised per-way utilization from about 0.45 to
    /// 0.96 (items) and 0.24 to 0.99 (users), the unique-ID rate from 0.85 to 0.97 and 0.33 to 0.71, and lowered the
    /// reconstruction error.
    /// </summary>
    public int DeadCodeResetSteps = 20;

    /// <summary>
    /// Initialize every way's codebook by k-means on that way's encodings of all training vectors (untrained encoder)
    /// instead of small uniform noise; starts every code where data is, which largely prevents unused codes.
    /// </summary>
    public bool KMeansInit = true;

    /// <summary>Lloyd iterations of the k-means initialization.</summary>
    public int KMeansIterations = 20;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Ways < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Ways), Ways, "Ways must be at least 1.");
        }

        if (CodebookSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CodebookSize), CodebookSize, "CodebookSize must be at least 2.");
        }

        if (CodeDimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CodeDimension), CodeDimension, "CodeDimension must be at least 1.");
        }

        if (EncoderLayerSizes is null)
        {
            throw new ArgumentNullException(nameof(EncoderLayerSizes), "EncoderLayerSizes must be an array (it may be empty for linear encoders).");
        }

        for (int i = 0; i < EncoderLayerSizes.Length; i++)
        {
            if (EncoderLayerSizes[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(EncoderLayerSizes), EncoderLayerSizes[i], $"EncoderLayerSizes[{i}] is {EncoderLayerSizes[i]}; every layer needs at least 1 unit.");
            }
        }

        if (!double.IsFinite(MaskRatio) || MaskRatio < 0 || MaskRatio >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaskRatio), MaskRatio, "MaskRatio must be in [0, 1) (TokenRec uses 0.2; 0.5 and above hurts).");
        }

        RequireNonNegative(CommitmentWeight, nameof(CommitmentWeight));
        if (DeadCodeResetSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DeadCodeResetSteps), DeadCodeResetSteps, "DeadCodeResetSteps must be at least 0 (0 turns the reset off).");
        }

        if (MinimumTrainingSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumTrainingSteps), MinimumTrainingSteps, "MinimumTrainingSteps must be at least 0 (0 trains exactly NumberOfEpochs).");
        }

        if (KMeansIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(KMeansIterations), KMeansIterations, "KMeansIterations must be at least 1.");
        }
    }

    /// <summary>
    /// These options for a table of <paramref name="count"/> vectors: a copy whose NumberOfEpochs is raised, when needed,
    /// so that training takes at least <see cref="MinimumTrainingSteps"/> steps; the same instance otherwise.
    /// </summary>
    internal MaskedKWayOptions ForTable(int count)
    {
        long batchesPerEpoch = Math.Max(1, ((long)count + BatchSize - 1) / BatchSize);
        long needed = (MinimumTrainingSteps + batchesPerEpoch - 1) / batchesPerEpoch;
        if (needed <= NumberOfEpochs)
        {
            return this;
        }

        var copy = (MaskedKWayOptions)MemberwiseClone();
        copy.NumberOfEpochs = (int)Math.Min(int.MaxValue, needed);
        return copy;
    }

    /// <summary>The architecture part of these options, for inputs of <paramref name="inputDimension"/> features.</summary>
    internal MaskedKWayHyperparameters ToHyperparameters(int inputDimension) => new()
    {
        InputDimension = inputDimension,
        Ways = Ways,
        CodebookSize = CodebookSize,
        CodeDimension = CodeDimension,
        EncoderLayerSizes = (int[])EncoderLayerSizes.Clone(),
    };
}
