using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.RqVae;

namespace GenRec.MLNet.Persistence;

/// <summary>
/// What a model file may declare, checked before anything it declares is built. Sizes that only shape tensors are
/// bounded by the weights the file actually carries: each network's parameter count has a lower bound computed from its
/// sizes (embeddings, attention and feed-forward blocks, MLP layers), and a file whose sizes need more parameters than
/// its weight stream holds is rejected — so building a network never costs much more than the file's own size. Sizes
/// that drive work per prediction (beams, top-k, batch sizes) have fixed caps, which training options share so every
/// model that trains can be saved and loaded.
/// </summary>
internal static class ModelFileLimits
{
    /// <summary>Cap on beams and top-k of the generative recommender (beam search decodes max(BeamSize, TopK) beams).</summary>
    public const int MaxBeams = 10_000;

    /// <summary>Cap on the items one prediction returns (generative retrieval).</summary>
    public const int MaxTopK = 100_000;

    /// <summary>Cap on requests decoded or scored together.</summary>
    public const int MaxBatch = 65_536;

    /// <summary>Cap on levels of a semantic-ID table.</summary>
    public const int MaxLevels = 64;

    /// <summary>Cap on one codebook's size (item-level IDs give codebooks as large as the catalog).</summary>
    public const int MaxCodebookSize = 1 << 24;

    /// <summary>Cap on any single width, layer count or head count (each is also bounded by the weights).</summary>
    public const int MaxSize = 1 << 20;

    /// <summary>Options that fail their own validation are a corrupt file, named as such.</summary>
    public static void ValidateOptions(Action validate, string what)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"The {what} in the model file is invalid: {ex.Message}", ex);
        }
    }

    /// <summary>Checks a generative recommender's sizes against its weights before its network is built.</summary>
    public static void CheckGenerative(GenerativeRecommenderOptions o, SemanticIdTable codes, byte[] weights)
    {
        const string What = "generative recommender";
        ValidateOptions(o.Validate, What);
        RequireSizes(What, (nameof(o.EncoderLayers), o.EncoderLayers), (nameof(o.DecoderLayers), o.DecoderLayers), (nameof(o.ModelDimension), o.ModelDimension),
            (nameof(o.Heads), o.Heads), (nameof(o.HeadDimension), o.HeadDimension), (nameof(o.FeedForwardDimension), o.FeedForwardDimension),
            (nameof(o.MaxHistoryLength), o.MaxHistoryLength), (nameof(o.UserHashBuckets), o.UserHashBuckets));
        double d = o.ModelDimension;
        double vocabulary = 2.0 + codes.CodebookSizes.Sum(size => (double)size) + (o.UseUserToken ? o.UserHashBuckets + 1.0 : 0);
        double layers = o.DecoderLayers + (o.Architecture == GenerativeArchitecture.EncoderDecoder ? o.EncoderLayers : 0);
        // Token and position embeddings, then per layer the feed-forward pair and the query/key/value/output projections.
        double parameters = d * (vocabulary + o.MaxHistoryLength) + layers * (2 * d * o.FeedForwardDimension + 4 * d * o.Heads * o.HeadDimension);
        RequireWeightsFor(What, parameters, weights, $"ModelDimension {o.ModelDimension}, {layers} layers, FeedForwardDimension {o.FeedForwardDimension}, vocabulary {vocabulary}");
    }

    /// <summary>Checks a generative retrieval model's sizes against its weights before its network is built.</summary>
    public static void CheckRetrieval(GenerativeRetrievalOptions o, SemanticIdTable? userCodes, SemanticIdTable? itemCodes, int cfDimension, byte[] weights)
    {
        const string What = "generative retrieval model";
        ValidateOptions(o.Validate, What);
        RequireSizes(What, (nameof(o.Layers), o.Layers), (nameof(o.ModelDimension), o.ModelDimension), (nameof(o.Heads), o.Heads),
            (nameof(o.FeedForwardDimension), o.FeedForwardDimension), (nameof(o.MaxHistoryLength), o.MaxHistoryLength), ("cfDimension", cfDimension),
            (nameof(o.ProjectionHiddenSizes) + " count", o.ProjectionHiddenSizes.Length));
        RequireSizes(What, o.ProjectionHiddenSizes.Select((size, i) => ($"{nameof(o.ProjectionHiddenSizes)}[{i}]", size)).ToArray());
        double d = o.ModelDimension;
        double vocabulary = (o.UseUserTokens ? CodeTokens(userCodes) : 0) + (o.UseHistoryTokens ? CodeTokens(itemCodes) : 0);
        double parameters = d * vocabulary + o.Layers * (2 * d * o.FeedForwardDimension + 4 * d * d)
            + MlpWeights(new[] { o.ModelDimension }.Concat(o.ProjectionHiddenSizes).Append(cfDimension).ToArray());
        RequireWeightsFor(What, parameters, weights, $"ModelDimension {o.ModelDimension}, {o.Layers} layers, FeedForwardDimension {o.FeedForwardDimension}, vocabulary {vocabulary}");
    }

    /// <summary>Checks an RQ-VAE's sizes against its weights before its network is built.</summary>
    public static void CheckRqVae(RqVaeHyperparameters h, byte[] weights)
    {
        const string What = "RQ-VAE tokenizer";
        ValidateOptions(h.Validate, What);
        RequireSizes(What, (nameof(h.InputDimension), h.InputDimension), (nameof(h.CodeDimension), h.CodeDimension),
            (nameof(h.EncoderLayerSizes) + " count", h.EncoderLayerSizes.Length));
        RequireSizes(What, h.EncoderLayerSizes.Select((size, i) => ($"{nameof(h.EncoderLayerSizes)}[{i}]", size)).ToArray());
        RequireAtMost(What, nameof(h.Levels), h.Levels, MaxLevels);
        RequireAtMost(What, nameof(h.CodebookSize), h.CodebookSize, MaxCodebookSize);
        int[] widths = new[] { h.InputDimension }.Concat(h.EncoderLayerSizes).Append(h.CodeDimension).ToArray();
        double parameters = 2 * MlpWeights(widths) + (double)h.Levels * h.CodebookSize * h.CodeDimension; // encoder, mirrored decoder, codebooks
        RequireWeightsFor(What, parameters, weights, $"widths {string.Join('-', widths)}, {h.Levels} × {h.CodebookSize} codes");
    }

    /// <summary>Checks a masked K-way tokenizer's sizes against its weights before its network is built.</summary>
    public static void CheckMaskedKWay(MaskedKWayHyperparameters h, byte[] weights)
    {
        const string What = "masked K-way tokenizer";
        ValidateOptions(h.Validate, What);
        RequireSizes(What, (nameof(h.InputDimension), h.InputDimension), (nameof(h.CodeDimension), h.CodeDimension), (nameof(h.Ways), h.Ways),
            (nameof(h.EncoderLayerSizes) + " count", h.EncoderLayerSizes.Length));
        RequireSizes(What, h.EncoderLayerSizes.Select((size, i) => ($"{nameof(h.EncoderLayerSizes)}[{i}]", size)).ToArray());
        RequireAtMost(What, nameof(h.CodebookSize), h.CodebookSize, MaxCodebookSize);
        double parameters = h.Ways * MlpWeights(h.EncoderWidths()) + MlpWeights(h.DecoderWidths()) + (double)h.Ways * h.CodebookSize * h.CodeDimension;
        RequireWeightsFor(What, parameters, weights, $"{h.Ways} ways, widths {string.Join('-', h.EncoderWidths())}, {h.CodebookSize} codes per way");
    }

    /// <summary>Throws unless <paramref name="value"/> is at most <paramref name="max"/>, naming the field.</summary>
    public static void RequireAtMost(string what, string field, long value, long max)
    {
        if (value > max)
        {
            throw new InvalidDataException($"The {what} in the model file is invalid: {field} is {value}; at most {max} is supported.");
        }
    }

    private static void RequireSizes(string what, params (string Field, int Value)[] sizes)
    {
        foreach ((string field, int value) in sizes)
        {
            RequireAtMost(what, field, value, MaxSize);
        }
    }

    // Rejects sizes whose network needs more parameters (4-byte floats) than the weight stream holds, after checking
    // the stream itself is well formed: the network that would be built is then at most a small multiple of the file.
    private static void RequireWeightsFor(string what, double parameters, byte[] weights, string sizes)
    {
        long dataBytes = TorchWeightStream.Scan(weights, what);
        if (parameters * sizeof(float) > dataBytes)
        {
            throw new InvalidDataException(
                $"The {what} in the model file is invalid: its sizes ({sizes}) describe a network of at least {parameters:N0} parameters, " +
                $"but the file carries {dataBytes:N0} bytes of weights.");
        }
    }

    private static double CodeTokens(SemanticIdTable? codes) => codes?.CodebookSizes.Sum(size => (double)size) ?? 0;

    private static double MlpWeights(IReadOnlyList<int> widths)
    {
        double total = 0;
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            total += (double)widths[i] * widths[i + 1];
        }

        return total;
    }
}
