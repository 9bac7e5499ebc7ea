namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// How long one <c>presets-movielens</c> row may train: the only thing the benchmark changes in a preset, because the
/// papers' lengths are GPU-sized (docs/presets.md, "Training length on a CPU").
/// </summary>
/// <param name="TokenizerBudget">Time cap of the row's tokenizer stage (split evenly between TokenRec's two tokenizers).</param>
/// <param name="RecommenderBudget">Time cap of the row's generative recommender or retrieval stage.</param>
/// <param name="TokenizerEpochs">Most tokenizer epochs (a preset with fewer keeps its own).</param>
/// <param name="SamplesPerSecond">
/// The recommender's assumed training speed, only to size a warm-up that is a share of the planned steps: the steps the
/// budget is expected to afford are <see cref="RecommenderBudget"/> × this / batch size.
/// </param>
internal sealed record PresetTrainingLength(TimeSpan TokenizerBudget, TimeSpan RecommenderBudget, int TokenizerEpochs, double SamplesPerSecond)
{
    /// <summary>The share of a row's <c>--minutes</c> its tokenizer stage gets; the recommender gets the rest.</summary>
    public const double TokenizerShare = 0.25;

    /// <summary>Default <see cref="TokenizerEpochs"/>: the library's RQ-VAE default, the length docs/presets.md suggests on a CPU.</summary>
    public const int DefaultTokenizerEpochs = 200;

    /// <summary>
    /// Default <see cref="SamplesPerSecond"/>: the encoder-decoder over code tokens measured 87 training prefixes per
    /// second beside another run and about 190-300 alone on this project's 2-core machine (docs/presets.md).
    /// </summary>
    public const double DefaultSamplesPerSecond = 150;

    /// <summary>The length of a row given <paramref name="minutes"/> in all: <see cref="TokenizerShare"/> for the tokenizer, the rest for the recommender.</summary>
    public static PresetTrainingLength ForMinutes(double minutes, int tokenizerEpochs, double samplesPerSecond)
    {
        if (!(minutes > 0) || !double.IsFinite(minutes))
        {
            throw new UsageException($"--minutes must be a positive number; got {minutes}.");
        }

        if (tokenizerEpochs < 1)
        {
            throw new UsageException($"--tokenizer-epochs must be at least 1; got {tokenizerEpochs}.");
        }

        if (!(samplesPerSecond > 0) || !double.IsFinite(samplesPerSecond))
        {
            throw new UsageException($"--samples-per-second must be a positive number; got {samplesPerSecond}.");
        }

        return new PresetTrainingLength(
            TimeSpan.FromMinutes(minutes * TokenizerShare), TimeSpan.FromMinutes(minutes * (1 - TokenizerShare)), tokenizerEpochs, samplesPerSecond);
    }

    /// <summary>Optimizer steps the recommender budget is expected to afford at <paramref name="batchSize"/>.</summary>
    public long ExpectedSteps(int batchSize) => Math.Max(1L, (long)Math.Round(RecommenderBudget.TotalSeconds * SamplesPerSecond / Math.Max(1, batchSize)));
}
