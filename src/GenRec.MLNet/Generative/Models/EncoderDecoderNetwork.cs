using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// TIGER / LETTER's recommender: a pre-norm encoder-decoder with their sizes, but GELU feed-forwards and LayerNorm
/// where T5 has ReLU and RMS norm. The bidirectional encoder reads the right-padded history (key-padding mask); the
/// causal decoder reads BOS + codes 0..L−2 of the next item and step l scores level l's codes only
/// (<see cref="LevelOutputLayer"/>). Positions are learned embeddings (recency positions in the encoder, step
/// positions in the decoder) instead of T5's relative buckets.
/// </summary>
internal sealed class EncoderDecoderNetwork : GenerativeNetwork
{
    private readonly HistoryEmbedding embedding;
    private readonly ModuleList<PreNormEncoderLayer> encoder_layers;
    private readonly LayerNorm encoder_norm;
    private readonly Embedding decoder_position;
    private readonly ModuleList<PreNormDecoderLayer> decoder_layers;
    private readonly LayerNorm decoder_norm;
    private readonly LevelOutputLayer output;

    public EncoderDecoderNetwork(GenerativeVocabulary vocabulary, GenerativeRecommenderOptions options) : base(nameof(EncoderDecoderNetwork), vocabulary)
    {
        int d = options.ModelDimension;
        embedding = new HistoryEmbedding(vocabulary.Size, d, options.MaxHistoryLength, vocabulary.Levels, options.InputMode, vocabulary.UseUserToken, options.Dropout);
        encoder_layers = nn.ModuleList(Enumerable.Range(0, options.EncoderLayers)
            .Select(_ => new PreNormEncoderLayer(d, options.Heads, options.HeadDimension, options.FeedForwardDimension, options.Dropout)).ToArray());
        encoder_norm = nn.LayerNorm(d);
        decoder_position = nn.Embedding(vocabulary.Levels, d);
        decoder_layers = nn.ModuleList(Enumerable.Range(0, options.DecoderLayers)
            .Select(_ => new PreNormDecoderLayer(d, options.Heads, options.HeadDimension, options.FeedForwardDimension, options.Dropout)).ToArray());
        decoder_norm = nn.LayerNorm(d);
        output = new LevelOutputLayer(d, vocabulary, options.LossScope);
        RegisterComponents();
        using (no_grad())
        {
            nn.init.normal_(decoder_position.weight!, 0, 1.0 / Math.Sqrt(d));
        }
    }

    public override Tensor ComputeLoss(HistoryInputs inputs, ItemTokenTable table, Tensor? targetItems, double temperature)
    {
        ArgumentNullException.ThrowIfNull(targetItems);
        using var scope = NewDisposeScope();
        (Tensor memory, Tensor mask) = Encode(inputs, table);
        int levels = Vocabulary.Levels;
        Tensor targetTokens = table.Lookup(targetItems); // [B, L]
        Tensor targetCodes = table.ToCodes(targetTokens);
        Tensor bos = TensorArithmetic.Filled(new[] { targetTokens.shape[0], 1L }, GenerativeVocabulary.Bos, targetTokens.device);
        Tensor decoderInput = cat(new[] { bos, targetTokens.narrow(1, 0, levels - 1) }, 1);
        Tensor hidden = Decode(decoderInput, memory, mask);
        Tensor loss = zeros(1, device: hidden.device);
        for (int level = 0; level < levels; level++)
        {
            loss = loss.Plus(output.Loss(hidden.select(1, level), level, targetCodes.select(1, level), temperature));
        }

        return loss.DividedBy(levels).squeeze().MoveToOuterDisposeScope();
    }

    public override DecodingState StartDecoding(HistoryInputs inputs, ItemTokenTable table, bool useCache)
    {
        using var scope = NewDisposeScope();
        (Tensor memory, Tensor mask) = Encode(inputs, table);
        var state = new EncoderDecoderDecodingState { Groups = inputs.Rows, MemoryMask = mask };
        Tensor bos = TensorArithmetic.Filled(new long[] { inputs.Rows }, GenerativeVocabulary.Bos, memory.device);
        if (useCache)
        {
            state.Caches = decoder_layers.Select(layer => layer.CreateCache(memory, state.MemoryMask)).ToArray();
            state.Pending = bos;
        }
        else
        {
            state.Memory = memory;
            state.Decoded = bos.unsqueeze(1);
        }

        return state;
    }

    public override Tensor NextLogProbs(DecodingState decodingState, int level)
    {
        var state = (EncoderDecoderDecodingState)decodingState;
        using var scope = NewDisposeScope();
        Tensor last;
        if (state.Caches is { } caches)
        {
            Tensor x = embedding.EmbedTokens(state.Pending!).unsqueeze(1).Plus(decoder_position.forward(TensorArithmetic.Filled(new long[] { 1 }, level, state.Pending!.device)));
            for (int i = 0; i < caches.Length; i++)
            {
                x = decoder_layers[i].Step(x, caches[i], state.GroupSize);
            }

            last = decoder_norm.forward(x.select(1, 0));
        }
        else
        {
            // Recompute the decoded prefix against a per-row copy of the memory (the reference for the cache).
            Tensor memory = state.Memory!.repeat_interleave(state.GroupSize, 0);
            Tensor mask = state.MemoryMask!.repeat_interleave(state.GroupSize, 0);
            last = Decode(state.Decoded!, memory, mask).select(1, level);
        }

        return output.LogProbs(last, level).MoveToOuterDisposeScope();
    }

    public override void Advance(DecodingState decodingState, Tensor parentRows, Tensor tokens, int newGroupSize)
    {
        var state = (EncoderDecoderDecodingState)decodingState;
        using var scope = NewDisposeScope();
        if (state.Caches is { } caches)
        {
            foreach (DecoderLayerCache cache in caches)
            {
                cache.Reorder(parentRows);
            }

            state.Pending = tokens;
        }
        else
        {
            state.Decoded = cat(new[] { state.Decoded!.index_select(0, parentRows), tokens.unsqueeze(1) }, 1);
        }

        state.GroupSize = newGroupSize;
    }

    private (Tensor Memory, Tensor Mask) Encode(HistoryInputs inputs, ItemTokenTable table)
    {
        using var scope = NewDisposeScope();
        Tensor itemTokens = table.Lookup(inputs.Items);
        Tensor x = embedding.Embed(itemTokens, inputs.Lengths, inputs.Users, recencyPositions: true);
        Tensor mask = embedding.KeyMask(inputs.Lengths, inputs.Time);
        foreach (PreNormEncoderLayer layer in encoder_layers)
        {
            x = layer.forward(x, mask, causal: false);
        }

        return (encoder_norm.forward(x).MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>Teacher-forced decoder pass over tokens [B, t] → normalized hidden states [B, t, d].</summary>
    private Tensor Decode(Tensor tokens, Tensor memory, Tensor mask)
    {
        using var scope = NewDisposeScope();
        Tensor steps = TensorArithmetic.Range(tokens.shape[1], tokens.device);
        Tensor x = embedding.EmbedTokens(tokens).Plus(decoder_position.forward(steps).unsqueeze(0));
        foreach (PreNormDecoderLayer layer in decoder_layers)
        {
            x = layer.forward(x, memory, mask);
        }

        return decoder_norm.forward(x).MoveToOuterDisposeScope();
    }
}
