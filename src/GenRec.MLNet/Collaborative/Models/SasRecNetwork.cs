using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative.Models;

/// <summary>
/// SASRec (Kang &amp; McAuley, 2018): causal self-attention over a user's item history; the output at
/// position t represents the history up to t and scores the next item by a dot product with the (tied)
/// item embeddings. Inputs are right-padded with 0 (item index + 1 elsewhere), so a causal query never
/// sees padding and no all-masked softmax row can occur.
/// </summary>
internal sealed class SasRecNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Embedding item_embedding;
    private readonly Embedding position_embedding;
    private readonly Dropout input_dropout;
    private readonly ModuleList<PreNormTransformerBlock> blocks;
    private readonly LayerNorm final_norm;

    public SasRecNetwork(int itemCount, int dimension, int maxLength, int layers, int heads, double dropout, bool recencyPositions = false) : base(nameof(SasRecNetwork))
    {
        item_embedding = nn.Embedding(itemCount + 1, dimension, padding_idx: 0);
        position_embedding = nn.Embedding(maxLength, dimension);
        input_dropout = nn.Dropout(dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new PreNormTransformerBlock(dimension, heads, 4 * dimension, dropout)).ToArray());
        final_norm = nn.LayerNorm(dimension);
        MaxLength = maxLength;
        RecencyPositions = recencyPositions;
        RegisterComponents();

        // N(0,1) embeddings with tied output weights start with huge logits; a small scale starts near uniform.
        using (no_grad())
        {
            nn.init.normal_(item_embedding.weight!, 0, 0.02);
            item_embedding.weight![0].zero_();
            nn.init.normal_(position_embedding.weight!, 0, 0.02);
        }
    }

    public int MaxLength { get; }

    /// <summary>Whether positions count back from each history's most recent item (see <see cref="CollaborativeEmbeddingOptions.RecencyPositions"/>).</summary>
    public bool RecencyPositions { get; }

    /// <summary>Item embeddings without the padding row: [items, dimension].</summary>
    public Tensor ItemEmbeddings => item_embedding.weight!.narrow(0, 1, item_embedding.weight!.shape[0] - 1);

    /// <summary>Hidden states for right-padded item tokens [batch, time] → [batch, time, dimension].</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        long time = tokens.shape[1];
        Tensor positions = TensorArithmetic.Range(time, tokens.device).unsqueeze(0);
        if (RecencyPositions)
        {
            // Distance from the latest real item; padding (after it) clamps to 0 and is never attended to by a real query.
            Tensor lengths = tokens.NotEqualMask(0).sum(1, keepdim: true);
            positions = lengths.Minus(1L).Minus(positions).AtLeast(0L);
        }

        Tensor x = item_embedding.forward(tokens).Times(Math.Sqrt(item_embedding.weight!.shape[1])).Plus(position_embedding.forward(positions));
        x = input_dropout.forward(x);
        foreach (PreNormTransformerBlock block in blocks)
        {
            x = block.forward(x);
        }

        return final_norm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>The representation after each history's last item: tokens [batch, time], lengths [batch] → [batch, dimension].</summary>
    public Tensor LastHidden(Tensor tokens, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = forward(tokens);
        Tensor index = lengths.Minus(1L).AtLeast(0).view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        return hidden.gather(1, index).squeeze(1).MoveToOuterDisposeScope();
    }
}
