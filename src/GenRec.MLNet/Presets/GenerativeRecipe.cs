using GenRec.MLNet.Generative;
using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Presets;

/// <summary>
/// A paper's recipe for the semantic-ID pipeline (TIGER, LETTER): fully populated options for the tokenizer and for
/// the generative recommender, from <see cref="GenRecPresets"/>. Every factory call returns new option objects, so
/// changing a field (a time budget, a column name, fewer epochs) changes only this copy.
/// </summary>
/// <remarks>
/// Column names keep the library's defaults (<c>ItemId</c>, <c>Features</c>, <c>SemanticId</c>, <c>UserId</c>);
/// set them to the pipeline's columns before building the estimators:
/// <code>
/// GenerativeRecipe letter = GenRecPresets.Letter();
/// letter.Tokenizer.ContentColumnName = "TitleVector";
/// var pipeline = genRec.SemanticIdTokenizer(letter.Tokenizer).Append(genRec.GenerativeRecommender(letter.Recommender));
/// </code>
/// </remarks>
public sealed class GenerativeRecipe
{
    internal GenerativeRecipe(string name, SemanticIdTokenizerOptions tokenizer, GenerativeRecommenderOptions recommender)
    {
        Name = name;
        Tokenizer = tokenizer;
        Recommender = recommender;
    }

    /// <summary>The paper the recipe follows (<c>TIGER</c> or <c>LETTER</c>).</summary>
    public string Name { get; }

    /// <summary>Options of the semantic-ID tokenizer (RQ-VAE) stage.</summary>
    public SemanticIdTokenizerOptions Tokenizer { get; }

    /// <summary>Options of the generative recommender stage.</summary>
    public GenerativeRecommenderOptions Recommender { get; }

    /// <summary>Validates both option objects, naming the field that is wrong.</summary>
    public void Validate()
    {
        Tokenizer.Validate();
        Recommender.Validate();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} recipe: {Tokenizer.RqVae.Levels} x {Tokenizer.RqVae.CodebookSize} codes, {Recommender.Architecture}";
}
