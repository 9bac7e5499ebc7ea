using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Sweeping;

/// <summary>The sweep entry points on <c>mlContext.GenerativeRecommendation()</c>.</summary>
public static class SweepCatalogExtensions
{
    /// <summary>
    /// A hyperparameter sweep: each trial builds <paramref name="pipeline"/> from options drawn from
    /// <paramref name="searchSpace"/> (with the trial's own seeded <see cref="MLContext"/>), fits it on the training
    /// rows and scores it on the validation rows.
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="searchSpace">What may change and how (ranges, choices, budget).</param>
    /// <param name="pipeline">Builds the whole pipeline for one trial from its context and options, starting from raw rows.</param>
    public static SweepExperiment<TOptions> Sweep<TOptions>(this GenRecCatalog catalog, SearchSpace<TOptions> searchSpace,
        Func<MLContext, TOptions, IEstimator<ITransformer>> pipeline)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(searchSpace);
        ArgumentNullException.ThrowIfNull(pipeline);
        return new SweepExperiment<TOptions>(catalog.MLContext, searchSpace, pipeline);
    }

    /// <summary>
    /// The semantic-ID stages from one options object, to append after the key mappings: the collaborative stage
    /// (when <see cref="GenerativePipelineOptions.Collaborative"/> is set), the tokenizer and the generative recommender.
    /// </summary>
    public static EstimatorChain<ITransformer> GenerativePipeline(this GenRecCatalog catalog, GenerativePipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var chain = new EstimatorChain<ITransformer>();
        if (options.Collaborative is { } collaborative)
        {
            chain = chain.Append<ITransformer>(catalog.CollaborativeEmbedding(collaborative));
        }

        return chain.Append<ITransformer>(catalog.SemanticIdTokenizer(options.Tokenizer)).Append<ITransformer>(catalog.GenerativeRecommender(options.Recommender));
    }
}
