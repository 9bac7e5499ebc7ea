using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Decodes a user's code tokens into a vector in the CF space: one embedding per (way, code), concatenated in way order,
/// then a two-layer GELU MLP. Distilled onto the CF user embeddings before retrieval training
/// (<see cref="UserCodeDistillation"/>), it gives the retrieval model a starting point that already ranks like the CF
/// model, while staying a function of the user's tokens only (a new user encoded by the same tokenizer gets a vector).
/// </summary>
/// <remarks>
/// Concatenation rather than a sum: the masked K-way tokenizer's ways are not residual levels, and the combination of
/// codes, not each code alone, identifies a user; an MLP over the concatenation can tell combinations apart.
/// </remarks>
internal sealed class UserCodeDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Embedding code_embedding;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly int _userTokens;

    /// <param name="userTokenLimit">One past the largest user token id of the prompt vocabulary.</param>
    /// <param name="userTokens">User tokens per prompt (the ways of the user tokenizer), at positions 1..userTokens.</param>
    /// <param name="width">Width of one code's embedding.</param>
    /// <param name="hiddenWidth">Hidden width of the MLP.</param>
    /// <param name="cfDimension">Output width (the CF embedding's length).</param>
    public UserCodeDecoder(int userTokenLimit, int userTokens, int width, int hiddenWidth, int cfDimension) : base(nameof(UserCodeDecoder))
    {
        _userTokens = userTokens;
        code_embedding = nn.Embedding(userTokenLimit, width);
        hidden = nn.Linear(userTokens * width, hiddenWidth);
        output = nn.Linear(hiddenWidth, cfDimension);
        RegisterComponents();
    }

    /// <summary>Re-draws the weights with <paramref name="generator"/> (embeddings N(0, 1), Linear layers U(±1/√fan_in)).</summary>
    public void ResetParameters(Generator generator)
    {
        using var noGrad = no_grad();
        code_embedding.weight!.normal_(0, 1, generator);
        foreach (Linear linear in new[] { hidden, output })
        {
            double bound = 1.0 / Math.Sqrt(linear.in_features);
            linear.weight!.uniform_(-bound, bound, generator);
            linear.bias!.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>Maps prompt tokens [B, T] (the user's tokens at positions 1..K) to vectors [B, cfDimension].</summary>
    public override Tensor forward(Tensor promptTokens)
    {
        using var scope = NewDisposeScope();
        Tensor codes = promptTokens.narrow(1, 1, _userTokens);
        Tensor concatenated = code_embedding.forward(codes).flatten(1);
        return output.forward(nn.functional.gelu(hidden.forward(concatenated))).MoveToOuterDisposeScope();
    }
}
