using GenRec.MLNet.Persistence;
using System.Text.Json.Nodes;
using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// The bytes that carry a trained generative retrieval model inside a saved ML.NET model: a format tag and version,
/// the hyperparameters as JSON, the user and item code tables (each may be absent), the raw CF item embeddings the
/// model ranks against, then TorchSharp's weight stream. Everything <see cref="GenerativeRetrievalModel.Load"/> needs,
/// so a saved zip rebuilds the model with no side files.
/// </summary>
/// <remarks>
/// <para>Format history: version 1 — the layout written by <see cref="Save"/>.</para>
/// <para>The options are JSON (not fixed binary fields) so a later version can add a hyperparameter with a default
/// without breaking old files: a field missing from the JSON keeps the <see cref="GenerativeRetrievalOptions"/> default.
/// Only the fields that shape the network or serving are written; training knobs, the device (a saved model loads on
/// whatever the loading machine resolves <see cref="Training.TorchDeviceKind.Auto"/> to) and column names (the saved
/// chain carries those) are not.</para>
/// </remarks>
internal static class GenerativeRetrievalBlob
{
    public const string Kind = "genrec-retrieval";
    private const string Magic = "GenRec.GenerativeRetrieval";
    private const int Version = 1;

    /// <param name="model">The trained model.</param>
    /// <param name="cfItemEmbeddings">The raw embeddings the model was trained with; the model keeps only normalized rows,
    /// and normalizing those again could move a score by one ulp and reorder ties after loading.</param>
    public static byte[] Save(GenerativeRetrievalModel model, float[] cfItemEmbeddings)
    {
        GenerativeRetrievalOptions o = model.Options;
        var json = new JsonObject
        {
            [nameof(o.Layers)] = o.Layers,
            [nameof(o.ModelDimension)] = o.ModelDimension,
            [nameof(o.Heads)] = o.Heads,
            [nameof(o.FeedForwardDimension)] = o.FeedForwardDimension,
            [nameof(o.Dropout)] = o.Dropout,
            [nameof(o.UseUserTokens)] = o.UseUserTokens,
            [nameof(o.UseHistoryTokens)] = o.UseHistoryTokens,
            [nameof(o.UseUserCodeAnchor)] = o.UseUserCodeAnchor, // adds the decoder's weights to the network
            [nameof(o.MaxHistoryLength)] = o.MaxHistoryLength,
            [nameof(o.Margin)] = o.Margin,
            [nameof(o.Similarity)] = (int)o.Similarity,
            [nameof(o.Loss)] = (int)o.Loss, // the dot product is only valid with the softmax loss, so the pair is kept together
            [nameof(o.SoftmaxTemperature)] = o.SoftmaxTemperature,
            [nameof(o.NegativesPerPositive)] = o.NegativesPerPositive,
            [nameof(o.PositivesPerPrompt)] = o.PositivesPerPrompt,
            [nameof(o.ProjectionHiddenSizes)] = new JsonArray(o.ProjectionHiddenSizes.Select(size => (JsonNode?)size).ToArray()),
            [nameof(o.RecommendBatchSize)] = o.RecommendBatchSize,
            [nameof(o.TopK)] = o.TopK,
            [nameof(o.ExcludeHistoryFromRecommendations)] = o.ExcludeHistoryFromRecommendations,
        };

        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(json.ToJsonString());
            WriteCodes(w, model.UserCodes);
            WriteCodes(w, model.ItemCodes);
            w.Write(model.CfDimension);
            w.Write(cfItemEmbeddings.Length);
            foreach (float value in cfItemEmbeddings)
            {
                w.Write(value);
            }

            byte[] weights = model.SaveWeights();
            w.Write(weights.Length);
            w.Write(weights);
        }

        return stream.ToArray();
    }

    public static GenerativeRetrievalModel Load(byte[] blob)
    {
        using var r = new BoundedBlobReader(blob, "generative retrieval model");
        if (r.ReadString() != Magic)
        {
            throw new InvalidDataException("The carried weights are not a GenRec generative retrieval model.");
        }

        int version = r.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException($"Generative retrieval format version {version} is not supported (this library reads version {Version}).");
        }

        GenerativeRetrievalOptions options = ReadOptions(r);
        SemanticIdTable? userCodes = ReadCodes(r);
        SemanticIdTable? itemCodes = ReadCodes(r);
        int cfDimension = r.ReadCount("the CF dimension", bytesPerItem: 0, min: 1, max: ModelFileLimits.MaxSize);
        float[] embeddings = r.ReadSingles(r.ReadInt32(), "the CF item embeddings");
        byte[] weights = r.ReadBlock("the network weights");
        ModelFileLimits.CheckRetrieval(options, userCodes, itemCodes, cfDimension, weights); // before any module is built
        return GenerativeRetrievalModel.Load(weights, options, userCodes, itemCodes, embeddings, cfDimension);
    }

    private static GenerativeRetrievalOptions ReadOptions(BoundedBlobReader r)
    {
        string text = r.ReadString();
        try
        {
            return ParseOptions(text);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw r.Invalid($"the hyperparameters are not valid JSON of the expected types ({ex.Message}).");
        }
    }

    private static GenerativeRetrievalOptions ParseOptions(string text)
    {
        JsonObject json = JsonNode.Parse(text) as JsonObject
            ?? throw new InvalidDataException("The generative retrieval hyperparameters are missing.");
        var options = new GenerativeRetrievalOptions();
        options.Layers = Read(json, nameof(options.Layers), options.Layers);
        options.ModelDimension = Read(json, nameof(options.ModelDimension), options.ModelDimension);
        options.Heads = Read(json, nameof(options.Heads), options.Heads);
        options.FeedForwardDimension = Read(json, nameof(options.FeedForwardDimension), options.FeedForwardDimension);
        options.Dropout = Read(json, nameof(options.Dropout), options.Dropout);
        options.UseUserTokens = Read(json, nameof(options.UseUserTokens), options.UseUserTokens);
        options.UseHistoryTokens = Read(json, nameof(options.UseHistoryTokens), options.UseHistoryTokens);
        options.UseUserCodeAnchor = Read(json, nameof(options.UseUserCodeAnchor), false); // files written before the anchor have none
        options.MaxHistoryLength = Read(json, nameof(options.MaxHistoryLength), options.MaxHistoryLength);
        options.Margin = Read(json, nameof(options.Margin), options.Margin);
        // Files written before these options: cosine, the pairwise loss.
        int similarity = Read(json, nameof(options.Similarity), (int)RetrievalSimilarity.Cosine);
        options.Similarity = Enum.IsDefined((RetrievalSimilarity)similarity)
            ? (RetrievalSimilarity)similarity
            : throw new InvalidDataException($"The generative retrieval file names similarity {similarity}, which this library does not know.");
        int loss = Read(json, nameof(options.Loss), (int)RetrievalLoss.CosineMargin);
        options.Loss = Enum.IsDefined((RetrievalLoss)loss)
            ? (RetrievalLoss)loss
            : throw new InvalidDataException($"The generative retrieval file names loss {loss}, which this library does not know.");
        options.SoftmaxTemperature = Read(json, nameof(options.SoftmaxTemperature), options.SoftmaxTemperature);
        options.NegativesPerPositive = Read(json, nameof(options.NegativesPerPositive), options.NegativesPerPositive);
        options.PositivesPerPrompt = Read(json, nameof(options.PositivesPerPrompt), options.PositivesPerPrompt);
        if (json[nameof(options.ProjectionHiddenSizes)] is JsonArray sizes)
        {
            options.ProjectionHiddenSizes = sizes.Select(size => size!.GetValue<int>()).ToArray();
        }

        options.RecommendBatchSize = Read(json, nameof(options.RecommendBatchSize), options.RecommendBatchSize);
        options.TopK = Read(json, nameof(options.TopK), options.TopK);
        options.ExcludeHistoryFromRecommendations = Read(json, nameof(options.ExcludeHistoryFromRecommendations), options.ExcludeHistoryFromRecommendations);
        return options;
    }

    private static T Read<T>(JsonObject json, string name, T fallback) =>
        json[name] is JsonNode node ? node.GetValue<T>() : fallback;

    private static void WriteCodes(BinaryWriter w, SemanticIdTable? codes)
    {
        // A presence flag: a model trained without user (or item) tokens may have no table at all.
        w.Write(codes is not null);
        if (codes is not null)
        {
            SemanticIdTableBinary.Write(w, codes);
        }
    }

    private static SemanticIdTable? ReadCodes(BoundedBlobReader r) => r.ReadBoolean() ? SemanticIdTableBinary.Read(r) : null;
}
