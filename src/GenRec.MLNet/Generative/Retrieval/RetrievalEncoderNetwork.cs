using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// The retrieval backbone: token embeddings (no positions: the prompt is a multiset) → pre-norm transformer encoder
/// with a padding mask → final LayerNorm → mean over the real tokens → projection MLP into the CF space. With
/// <see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/>, the output is the <see cref="UserCodeDecoder"/>'s vector
/// for the user's codes plus that projection, whose last layer starts at zero: training starts from the decoded
/// ranking and learns a correction from the whole prompt.
/// </summary>
/// <remarks>
/// Pooling is the mean over real tokens rather than the PROMPT token's output: each token of a bag-of-codes prompt is
/// informative in itself, the mean carries signal from the first step, and a small model trained for minutes need not
/// first learn to route everything into one slot. The PROMPT token still takes part (it is a real token) and keeps
/// every row non-empty.
/// </remarks>
internal sealed class RetrievalEncoderNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding;
    private readonly Dropout embedding_dropout;
    private readonly ModuleList<PreNormEncoderLayer> layers = new();
    private readonly LayerNorm final_norm;
    private readonly RetrievalProjectionHead projection;
    private readonly UserCodeDecoder? user_code_decoder;

    public RetrievalEncoderNetwork(RetrievalPromptBuilder prompts, GenerativeRetrievalOptions options, int cfDimension) : base(nameof(RetrievalEncoderNetwork))
    {
        int d = options.ModelDimension;
        token_embedding = nn.Embedding(prompts.VocabularySize, d);
        embedding_dropout = nn.Dropout(options.Dropout);
        for (int i = 0; i < options.Layers; i++)
        {
            layers.Add(new PreNormEncoderLayer(d, options.Heads, d / options.Heads, options.FeedForwardDimension, options.Dropout));
        }

        final_norm = nn.LayerNorm(d);
        projection = new RetrievalProjectionHead(d, options.ProjectionHiddenSizes, cfDimension);
        if (options.UseUserCodeAnchor)
        {
            user_code_decoder = new UserCodeDecoder(prompts.UserTokenLimit, prompts.UserTokens, d, options.FeedForwardDimension, cfDimension);
        }

        RegisterComponents();
    }

    /// <summary>The user-code decoder whose output the projection corrects, or null without <see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/>.</summary>
    public UserCodeDecoder? UserCodeDecoder => user_code_decoder;

    /// <summary>
    /// Re-draws every weight with <paramref name="generator"/> (embeddings N(0, 1), Linear weights and biases
    /// U(±1/√fan_in) as LibTorch's defaults), so that initialization does not depend on torch's process-wide generator,
    /// which concurrently running trainings share.
    /// </summary>
    public void ResetParameters(Generator generator)
    {
        using var noGrad = no_grad();
        token_embedding.weight!.normal_(0, 1, generator);
        foreach (Linear linear in modules().OfType<Linear>())
        {
            double bound = 1.0 / Math.Sqrt(linear.in_features);
            linear.weight!.uniform_(-bound, bound, generator);
            linear.bias?.uniform_(-bound, bound, generator);
        }

        if (user_code_decoder is not null)
        {
            user_code_decoder.ResetParameters(generator);
            projection.ZeroLastLayer();
        }
    }

    /// <summary>Maps prompt tokens [B, T] (PAD = 0 on the right) to unnormalized vectors [B, cfDimension].</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        long batch = tokens.shape[0], time = tokens.shape[1];
        Tensor real = tokens.NotEqualMask(RetrievalPromptBuilder.PadToken);
        Tensor keyMask = real.view(batch, 1, 1, time);
        Tensor x = embedding_dropout.forward(token_embedding.forward(tokens));
        foreach (PreNormEncoderLayer layer in layers)
        {
            x = layer.forward(x, keyMask, false);
        }

        Tensor weights = real.to(x.dtype).unsqueeze(-1);
        Tensor pooled = (final_norm.forward(x) * weights).sum(1) / weights.sum(1);
        Tensor vectors = projection.forward(pooled);
        if (user_code_decoder is not null)
        {
            vectors = vectors.Plus(user_code_decoder.forward(tokens));
        }

        return vectors.MoveToOuterDisposeScope();
    }
}
