using GenRec.Cli.Training;
using GenRec.MLNet.Sweeping;

namespace GenRec.Cli.Sweeping;

/// <summary>
/// What <c>genrec sweep</c> searches: the small preset's options (<see cref="PipelineBuilder.SmallOptions"/>) with the
/// few values that matter most on a CPU-sized run allowed to change, and the recommender's epochs as the budget that
/// successive halving raises for the survivors.
/// </summary>
internal static class SmallPresetSearchSpace
{
    /// <summary>Smallest recommender epochs a trial gets (successive halving's first rung).</summary>
    public const int MinEpochs = 5;

    /// <summary>Largest recommender epochs (the small preset's own 15; every random-search trial trains this long).</summary>
    public const int MaxEpochs = 15;

    /// <summary>Successive halving's reduction factor: a third of each rung is trained again at three times the epochs (5, then 15).</summary>
    public const int ReductionFactor = 3;

    public static SearchSpace<GenerativePipelineOptions> Create(int topK) =>
        new SearchSpace<GenerativePipelineOptions>(() => Defaults(topK))
            .Choice(o => o.Collaborative!.Dimension, 16, 32, 64)
            .Choice(o => o.Tokenizer.RqVae.CodebookSize, 8, 16, 32)
            .Uniform(o => o.Recommender.LearningRate, 1e-3, 1e-2, logScale: true)
            .Integer(o => o.Recommender.DecoderLayers, 1, 3)
            .Budget(o => o.Recommender.NumberOfEpochs, MinEpochs, MaxEpochs);

    private static GenerativePipelineOptions Defaults(int topK)
    {
        GenerativePipelineOptions options = PipelineBuilder.SmallOptions(topK);
        // The preset caps its recommender at 60 s; in a sweep the sweep's own time budget bounds every trial, and a
        // per-trial cap would make the epochs budget meaningless on larger data.
        options.Recommender.MaxTrainingTime = null;
        return options;
    }
}
