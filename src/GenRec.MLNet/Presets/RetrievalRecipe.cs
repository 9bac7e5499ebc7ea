using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Presets;

/// <summary>
/// A paper's recipe for generative retrieval (TokenRec): fully populated options for the item tokenizer, the user
/// tokenizer (both masked K-way, over collaborative embeddings) and the retrieval model, from
/// <see cref="GenRecPresets"/>. Every factory call returns new option objects.
/// </summary>
/// <remarks>
/// The item tokenizer reads <c>ItemId</c> and <c>ItemEmbedding</c>, the user tokenizer <c>UserId</c> and
/// <c>UserEmbedding</c>: the columns the collaborative stage writes. Change them when the embeddings come from elsewhere.
/// </remarks>
public sealed class RetrievalRecipe
{
    internal RetrievalRecipe(string name, SemanticIdTokenizerOptions itemTokenizer, SemanticIdTokenizerOptions userTokenizer, GenerativeRetrievalOptions retrieval)
    {
        Name = name;
        ItemTokenizer = itemTokenizer;
        UserTokenizer = userTokenizer;
        Retrieval = retrieval;
    }

    /// <summary>The paper the recipe follows (<c>TokenRec</c>).</summary>
    public string Name { get; }

    /// <summary>Options of the masked K-way tokenizer for items (content: CF item embeddings).</summary>
    public SemanticIdTokenizerOptions ItemTokenizer { get; }

    /// <summary>Options of the masked K-way tokenizer for users (content: CF user embeddings).</summary>
    public SemanticIdTokenizerOptions UserTokenizer { get; }

    /// <summary>Options of the generative retrieval model.</summary>
    public GenerativeRetrievalOptions Retrieval { get; }

    /// <summary>Validates the three option objects, naming the field that is wrong.</summary>
    public void Validate()
    {
        ItemTokenizer.Validate();
        UserTokenizer.Validate();
        Retrieval.Validate();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} recipe: {ItemTokenizer.MaskedKWay.Ways}-way x {ItemTokenizer.MaskedKWay.CodebookSize} codes, {Retrieval.Layers}-layer retrieval";
}
