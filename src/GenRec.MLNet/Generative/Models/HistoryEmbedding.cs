using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// The token embedding table (shared by history input, decoder input and the decoder-only code head, as in T5)
/// and the history embedding for either input mode: L code tokens per item
/// (<see cref="GenerativeInputMode.CodeTokens"/>) or one summed vector per item
/// (<see cref="GenerativeInputMode.ItemEmbedding"/>), plus a learned per-item position and an optional leading
/// user token. Histories are right-padded; every sequence position is either a real token or padding.
/// </summary>
internal sealed class HistoryEmbedding : nn.Module
{
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;
    private readonly Dropout dropout;
    private readonly GenerativeInputMode _mode;
    private readonly int _levels;
    private readonly bool _userToken;

    public HistoryEmbedding(int vocabularySize, int dimension, int maxHistory, int levels, GenerativeInputMode mode, bool userToken, double dropoutRate)
        : base(nameof(HistoryEmbedding))
    {
        token_embedding = nn.Embedding(vocabularySize, dimension, padding_idx: GenerativeVocabulary.Pad);
        position_embedding = nn.Embedding(maxHistory, dimension);
        dropout = nn.Dropout(dropoutRate);
        _mode = mode;
        _levels = levels;
        _userToken = userToken;
        RegisterComponents();

        // nn.Embedding starts at N(0, 1): far larger than the sublayer outputs, so the first blocks would barely
        // change the residual stream. 1/sqrt(d) keeps embeddings and sublayers on the same scale.
        using (no_grad())
        {
            double std = 1.0 / Math.Sqrt(dimension);
            nn.init.normal_(token_embedding.weight!, 0, std);
            token_embedding.weight![GenerativeVocabulary.Pad].zero_();
            nn.init.normal_(position_embedding.weight!, 0, std);
        }
    }

    /// <summary>Tokens per history item in the sequence: L for code tokens, 1 for item embeddings.</summary>
    private int TokensPerItem => _mode == GenerativeInputMode.CodeTokens ? _levels : 1;

    private int Prefix => _userToken ? 1 : 0;

    /// <summary>Embeddings of arbitrary tokens.</summary>
    public Tensor EmbedTokens(Tensor tokens) => token_embedding.forward(tokens);

    /// <summary>
    /// The history sequence [B, S, d] from item code tokens [B, T, L] (PAD rows for padding), lengths [B] and
    /// optional user tokens [B]. <paramref name="recencyPositions"/>: position 0 = most recent item (an encoder
    /// then finds the latest item at the same position whatever the length); otherwise position 0 = oldest item
    /// (required by causal stacks, where a position must not depend on the future).
    /// </summary>
    public Tensor Embed(Tensor itemTokens, Tensor lengths, Tensor? users, bool recencyPositions)
    {
        using var scope = NewDisposeScope();
        long batch = itemTokens.shape[0], time = itemTokens.shape[1];
        Tensor steps = TensorArithmetic.Range(time, itemTokens.device).unsqueeze(0);
        Tensor positions = recencyPositions ? lengths.unsqueeze(1).Plus(-1).Minus(steps).AtLeast(0L) : steps;
        Tensor positionVectors = position_embedding.forward(positions);
        Tensor tokens = token_embedding.forward(itemTokens);
        Tensor x = _mode == GenerativeInputMode.CodeTokens
            ? tokens.Plus(positionVectors.unsqueeze(2)).reshape(batch, time * _levels, -1)
            : tokens.sum(2).Plus(positionVectors);
        if (users is not null)
        {
            x = cat(new[] { token_embedding.forward(users).unsqueeze(1), x }, 1);
        }

        return dropout.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Key mask [B, 1, 1, S] (true = attendable) for a bidirectional encoder. An empty history keeps its first
    /// (padding) slot attendable, so no softmax row is ever fully masked.
    /// </summary>
    public Tensor KeyMask(Tensor lengths, long time)
    {
        using var scope = NewDisposeScope();
        Tensor steps = TensorArithmetic.Range(time, lengths.device).unsqueeze(0);
        Tensor real = steps < lengths.AtLeast(1L).unsqueeze(1);
        if (TokensPerItem > 1)
        {
            real = real.repeat_interleave(TokensPerItem, 1);
        }

        if (_userToken)
        {
            real = cat(new[] { ones(real.shape[0], 1, dtype: ScalarType.Bool, device: real.device), real }, 1);
        }

        return real.view(real.shape[0], 1, 1, -1).MoveToOuterDisposeScope();
    }

    /// <summary>For each of <paramref name="time"/> items, the sequence position of its last token [T].</summary>
    public Tensor ItemEndPositions(long time, Device device) =>
        TensorArithmetic.Range(time, device).Times(TokensPerItem).Plus(TokensPerItem - 1 + Prefix);
}
