using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Sweeping;

/// <summary>
/// The options of the one semantic-ID pipeline's stages in one object, so a <see cref="SearchSpace{TOptions}"/> can
/// sweep across them (<c>o =&gt; o.Tokenizer.RqVae.CodebookSize</c>, <c>o =&gt; o.Recommender.LearningRate</c>) and
/// <see cref="SweepCatalogExtensions.GenerativePipeline"/> can build the stages from it.
/// </summary>
public sealed class GenerativePipelineOptions
{
    /// <summary>The collaborative stage, or null when the tokenizer's content comes from elsewhere (e.g. text vectors).</summary>
    public CollaborativeEmbeddingOptions? Collaborative { get; set; }

    /// <summary>The semantic-ID tokenizer stage.</summary>
    public SemanticIdTokenizerOptions Tokenizer { get; set; } = new();

    /// <summary>The generative recommender stage.</summary>
    public GenerativeRecommenderOptions Recommender { get; set; } = new();
}
