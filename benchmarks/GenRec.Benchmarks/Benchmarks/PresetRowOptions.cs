using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Presets;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// The options of a <c>presets-movielens</c> row: the preset's (or the library's default) values with only the training
/// length shortened to the row's budget (<see cref="PresetTrainingLength"/>). Column names and the evaluation protocol
/// are set later, by <see cref="PresetRowPipeline"/>, so that what this class returns can be compared field by field
/// with a fresh preset (the tests do).
/// </summary>
/// <remarks>
/// What "training length" covers, and nothing else changes:
/// <list type="bullet">
/// <item>every trainer's <c>MaxTrainingTime</c> (the row's budget);</item>
/// <item>tokenizer <c>NumberOfEpochs</c>: at most <see cref="PresetTrainingLength.TokenizerEpochs"/>, and a tokenizer's
/// <c>ValidateEveryNEpochs</c> scaled by the same factor (LETTER's collision-rate checkpoints every 2,000 of 10,000
/// epochs become every 40 of 200), so a shortened run still has the preset's number of checkpoints;</item>
/// <item>the generative recommender's <c>WarmupSteps</c>: the same share of the planned steps as in the unshortened
/// options on Beauty (TIGER's 10,000 of 390 epochs × 514 batches = 5%, LETTER's 258 = 1%, the library default's 200 of
/// 20 epochs × 514 batches = 2%), the planned steps being those the budget is expected to afford; kept unshortened,
/// TIGER's warm-up would never end within a CPU budget and its learning rate would stay near zero;</item>
/// <item>a cosine schedule becomes <see cref="LearningRateSchedule.CosineWithinTimeBudget"/> (LETTER, the library
/// default): the same cosine, ending when the time budget does, rather than over planned epochs a budget of minutes
/// never reaches.</item>
/// </list>
/// The recommender's <c>NumberOfEpochs</c> stays the preset's: it is a cap the time budget reaches first, and
/// TIGER's inverse-square-root decay does not depend on it.
/// </remarks>
internal static class PresetRowOptions
{
    /// <summary>
    /// Beauty's training prefixes: TIGER's and LETTER's recommender lengths (epochs, warm-up) were sized on them
    /// (docs/presets.md); the library default's warm-up is scaled by the same reference so every row is treated alike.
    /// </summary>
    public const int BeautyTrainingPrefixes = 131_413;

    /// <summary>The tokenizer and recommender of a generative row (<c>default</c>, <c>tiger</c>, <c>letter</c>), shortened.</summary>
    public static (SemanticIdTokenizerOptions Tokenizer, GenerativeRecommenderOptions Recommender) Generative(PresetRow row, PresetTrainingLength length)
    {
        ArgumentNullException.ThrowIfNull(length);
        (SemanticIdTokenizerOptions tokenizer, GenerativeRecommenderOptions recommender) = Unshortened(row);
        ShortenTokenizer(tokenizer, length.TokenizerBudget, length.TokenizerEpochs);
        ShortenRecommender(recommender, length);
        return (tokenizer, recommender);
    }

    /// <summary>The fresh, unchanged options of a generative row: the preset's, or the library's defaults for <c>default</c>.</summary>
    public static (SemanticIdTokenizerOptions Tokenizer, GenerativeRecommenderOptions Recommender) Unshortened(PresetRow row)
    {
        if (row == PresetRow.Default)
        {
            return (new SemanticIdTokenizerOptions(), new GenerativeRecommenderOptions());
        }

        GenerativeRecipe recipe = row == PresetRow.Tiger ? GenRecPresets.Tiger()
            : row == PresetRow.Letter ? GenRecPresets.Letter()
            : throw new ArgumentException($"Row '{row}' is not a generative row (default, tiger, letter).", nameof(row));
        return (recipe.Tokenizer, recipe.Recommender);
    }

    /// <summary>TokenRec's recipe, shortened: each tokenizer gets half the tokenizer budget, the retrieval the recommender budget.</summary>
    public static RetrievalRecipe TokenRec(PresetTrainingLength length)
    {
        ArgumentNullException.ThrowIfNull(length);
        RetrievalRecipe recipe = GenRecPresets.TokenRec();
        ShortenTokenizer(recipe.ItemTokenizer, length.TokenizerBudget / 2, length.TokenizerEpochs);
        ShortenTokenizer(recipe.UserTokenizer, length.TokenizerBudget / 2, length.TokenizerEpochs);
        // The retrieval's schedule is constant and its 100-step warm-up is the from-scratch encoder's default, not a
        // share of the planned length, so the time budget is the only change.
        recipe.Retrieval.MaxTrainingTime = length.RecommenderBudget;
        return recipe;
    }

    /// <summary>The preset's warm-up as a share of its planned steps (epochs × Beauty's batches), applied to <paramref name="plannedSteps"/>.</summary>
    public static int ScaledWarmup(GenerativeRecommenderOptions preset, long plannedSteps)
    {
        ArgumentNullException.ThrowIfNull(preset);
        if (preset.WarmupSteps == 0)
        {
            return 0;
        }

        long presetSteps = (long)preset.NumberOfEpochs * ((BeautyTrainingPrefixes + preset.BatchSize - 1) / preset.BatchSize);
        double share = Math.Min(1.0, preset.WarmupSteps / (double)Math.Max(1, presetSteps));
        return (int)Math.Max(1, Math.Round(share * plannedSteps));
    }

    private static void ShortenTokenizer(SemanticIdTokenizerOptions tokenizer, TimeSpan budget, int maxEpochs)
    {
        TorchTrainerOptions trainer = tokenizer.Method switch
        {
            SemanticIdMethod.RqVae => tokenizer.RqVae,
            SemanticIdMethod.MaskedKWay => tokenizer.MaskedKWay,
            _ => throw new ArgumentException($"Tokenizer method {tokenizer.Method} has no training length to shorten.", nameof(tokenizer)),
        };
        trainer.MaxTrainingTime = budget;
        if (trainer.NumberOfEpochs > maxEpochs)
        {
            double factor = maxEpochs / (double)trainer.NumberOfEpochs;
            trainer.ValidateEveryNEpochs = Math.Max(1, (int)Math.Round(trainer.ValidateEveryNEpochs * factor));
            trainer.NumberOfEpochs = maxEpochs;
        }
    }

    private static void ShortenRecommender(GenerativeRecommenderOptions recommender, PresetTrainingLength length)
    {
        recommender.MaxTrainingTime = length.RecommenderBudget;
        recommender.WarmupSteps = ScaledWarmup(recommender, length.ExpectedSteps(recommender.BatchSize));
        if (recommender.LearningRateSchedule == LearningRateSchedule.Cosine)
        {
            recommender.LearningRateSchedule = LearningRateSchedule.CosineWithinTimeBudget;
        }
    }
}
