using System.Diagnostics;
using System.Globalization;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// Builds the code table of one <see cref="TokenizerQualityCodeSet"/>, indexed by Beauty item index. The four RQ-VAE
/// sets share every setting of <c>pipeline-text-beauty</c>'s tokenizer (<see cref="TokenizerBeautyBenchmark.LetterOptions"/>:
/// 4 × 256, Sinkhorn collision handling, the tuned dead-code reset) and differ only in their input and regularizers,
/// so a difference in the recommender they feed is the input's or the regularizer's.
/// </summary>
internal static class TokenizerQualityCodeBuilder
{
    /// <summary>
    /// The code table of <paramref name="set"/> and the tokenizer's training time and epochs (zero and null for LETTER's
    /// released codes, which are read, not trained; epochs are null for residual k-means too).
    /// </summary>
    public static BuiltCodes Build(BenchmarkContext context, TokenizerQualityCodeSet set, TokenizerQualityInputs inputs)
    {
        if (set == TokenizerQualityCodeSet.LetterReleased)
        {
            var (letter, _) = context.Time("import beauty/Beauty.letter-index.json", () =>
                SemanticIdCodeFileImporter.ImportJson(inputs.LetterCodesPath!, new SemanticIdImportOptions { ItemCount = inputs.ItemCount }));
            return new BuiltCodes(letter, TimeSpan.Zero, null);
        }

        if (set == TokenizerQualityCodeSet.RqKMeans)
        {
            ResidualKMeansOptions kMeans = TokenizerRqKMeansBeautyBenchmark.Options(context);
            using ResidualKMeansModel model = ResidualKMeansTrainer.Train(
                QuietContext(context), inputs.TextVectors!, inputs.ItemCount, inputs.TextDimension, inputs.SasRec!.Vectors, inputs.SasRec.Dimension, kMeans);
            context.Log(string.Create(CultureInfo.InvariantCulture,
                $"residual k-means {kMeans.Levels} x {kMeans.CodebookSize}, CF weight {kMeans.CollaborativeWeight}, in {model.FitTime.TotalSeconds:F1} s; collisions before resolution {model.Collisions.CollisionRateBefore:P2}"));
            return new BuiltCodes(model.Codes, model.FitTime, null);
        }

        bool textContent = set.NeedsText;
        bool collaborative = set == TokenizerQualityCodeSet.TextCf || set == TokenizerQualityCodeSet.TextCfDiversity;
        bool diversity = set == TokenizerQualityCodeSet.TextCfDiversity;
        RqVaeOptions options = TokenizerBeautyBenchmark.LetterOptions(context, collaborative, diversity, TokenizerBeautyBenchmark.TunedDeadCodeSteps);
        options.MaxTrainingTime = TimeSpan.FromMinutes(context.DoubleOption("tokenizer-minutes", 10));
        float[] content = textContent ? inputs.TextVectors! : inputs.SasRec!.Vectors;
        int dimension = textContent ? inputs.TextDimension : inputs.SasRec!.Dimension;
        float[]? cf = collaborative ? inputs.SasRec!.Vectors : null;

        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"training RQ-VAE {set}: {(textContent ? "text" : "SASRec")} content ({dimension}-d), {options.Levels}x{options.CodebookSize}, alpha {options.CollaborativeWeight}, diversity {options.DiversityWeight}, dead-code steps {options.DeadCodeResetSteps}, {options.NumberOfEpochs} epochs or {options.MaxTrainingTime?.TotalMinutes:F1} min"));
        var watch = Stopwatch.StartNew();
        using RqVaeModel rqVae = RqVaeTrainer.Train(QuietContext(context), content, inputs.ItemCount, dimension, cf, cf is null ? 0 : inputs.SasRec!.Dimension, options, out TrainingResult result);
        watch.Stop();
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"RQ-VAE {set}: {result.EpochsCompleted} epochs in {watch.Elapsed.TotalSeconds:F1} s ({result.StopReason}), reconstruction MSE {rqVae.ReconstructionLoss:G4}, collisions {rqVae.Collisions.CollisionRateBefore:P2} before resolution, {rqVae.Collisions.CollisionRateAfter:P2} after"));
        return new BuiltCodes(rqVae.Codes, watch.Elapsed, result.EpochsCompleted);
    }

    /// <summary>An MLContext whose per-epoch tokenizer lines stay out of the benchmark log (the summary line above says what they would).</summary>
    private static MLContext QuietContext(BenchmarkContext context) => new(context.Seed);

    /// <summary>A built code table with the time and epochs its tokenizer took.</summary>
    internal sealed record BuiltCodes(SemanticIdTable Codes, TimeSpan TokenizerTime, int? TokenizerEpochs);
}
