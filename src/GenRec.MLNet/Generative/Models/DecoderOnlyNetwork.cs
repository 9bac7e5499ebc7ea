using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// The decoder-only generative recommender: a causal pre-norm transformer over the right-padded history
/// (one vector per item, or L code tokens per item) whose state after each item — at the item's last token —
/// predicts the next item's codes through the <see cref="CodeHead"/>. Training scores every position of a
/// window in one pass (right padding under a causal mask: no query sees only padding, and padded positions are
/// left out of the loss). Decoding runs the transformer once per user and then only the head per level.
/// </summary>
internal sealed class DecoderOnlyNetwork : GenerativeNetwork
{
    private readonly HistoryEmbedding embedding;
    private readonly ModuleList<PreNormEncoderLayer> layers;
    private readonly LayerNorm final_norm;
    private readonly CodeHead head;
    private readonly LevelOutputLayer output;

    public DecoderOnlyNetwork(GenerativeVocabulary vocabulary, GenerativeRecommenderOptions options) : base(nameof(DecoderOnlyNetwork), vocabulary)
    {
        int d = options.ModelDimension;
        embedding = new HistoryEmbedding(vocabulary.Size, d, options.MaxHistoryLength, vocabulary.Levels, options.InputMode, vocabulary.UseUserToken, options.Dropout);
        layers = nn.ModuleList(Enumerable.Range(0, options.DecoderLayers)
            .Select(_ => new PreNormEncoderLayer(d, options.Heads, options.HeadDimension, options.FeedForwardDimension, options.Dropout)).ToArray());
        final_norm = nn.LayerNorm(d);
        head = new CodeHead(d, options.FeedForwardDimension, vocabulary.Levels, options.Dropout);
        output = new LevelOutputLayer(d, vocabulary, options.LossScope);
        RegisterComponents();
    }

    public override Tensor ComputeLoss(HistoryInputs inputs, ItemTokenTable table, Tensor? targetItems, double temperature)
    {
        Tensor next = inputs.NextItems ?? throw new ArgumentException("Decoder-only training needs the next item of every position.", nameof(inputs));
        using var scope = NewDisposeScope();
        Tensor states = ItemStates(inputs, table).view(-1, ItemDimension);      // [B·T, d]
        Tensor real = next.view(-1).nonzero().squeeze(1);                         // positions with a next item
        Tensor state = states.index_select(0, real);                              // [N, d]
        Tensor targetTokens = table.Lookup(next.view(-1).index_select(0, real));  // [N, L]
        Tensor targetCodes = table.ToCodes(targetTokens);
        int levels = Vocabulary.Levels;
        Tensor loss = zeros(1, device: state.device);
        for (int level = 0; level < levels; level++)
        {
            Tensor z = head.Cell(state, level);
            loss = loss.Plus(output.Loss(head.Normalize(z), level, targetCodes.select(1, level), temperature));
            state = z.Plus(embedding.EmbedTokens(targetTokens.select(1, level)));
        }

        return loss.DividedBy(levels).squeeze().MoveToOuterDisposeScope();
    }

    public override DecodingState StartDecoding(HistoryInputs inputs, ItemTokenTable table, bool useCache)
    {
        using var scope = NewDisposeScope();
        Tensor states = ItemStates(inputs, table);                                 // [B, T, d]
        Tensor lastItem = inputs.Lengths.Plus(-1).AtLeast(0L).view(-1, 1, 1).expand(-1, 1, states.shape[2]);
        return new DecoderOnlyDecodingState { Groups = inputs.Rows, State = states.gather(1, lastItem).squeeze(1) };
    }

    public override Tensor NextLogProbs(DecodingState decodingState, int level)
    {
        var state = (DecoderOnlyDecodingState)decodingState;
        using var scope = NewDisposeScope();
        state.CellOutput = head.Cell(state.State!, level);
        return output.LogProbs(head.Normalize(state.CellOutput), level).MoveToOuterDisposeScope();
    }

    public override void Advance(DecodingState decodingState, Tensor parentRows, Tensor tokens, int newGroupSize)
    {
        var state = (DecoderOnlyDecodingState)decodingState;
        using var scope = NewDisposeScope();
        state.State = state.CellOutput!.index_select(0, parentRows).Plus(embedding.EmbedTokens(tokens));
        state.GroupSize = newGroupSize;
    }

    private long ItemDimension => final_norm.weight!.shape[0];

    /// <summary>The causal stack's normalized state at the end of each history item [B, T, d].</summary>
    private Tensor ItemStates(HistoryInputs inputs, ItemTokenTable table)
    {
        using var scope = NewDisposeScope();
        Tensor x = embedding.Embed(table.Lookup(inputs.Items), inputs.Lengths, inputs.Users, recencyPositions: false);
        foreach (PreNormEncoderLayer layer in layers)
        {
            x = layer.forward(x, null, causal: true);
        }

        Tensor ends = embedding.ItemEndPositions(inputs.Time, x.device);
        return final_norm.forward(x.index_select(1, ends)).MoveToOuterDisposeScope();
    }
}
