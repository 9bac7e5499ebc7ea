using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Generative;

/// <summary>
/// The bytes that carry a trained generative recommender inside a saved ML.NET model: a format tag and version,
/// the architecture hyperparameters, the item codes (so the prefix trie is rebuilt exactly, including items added
/// after training), the training counts that order items sharing an ID, then TorchSharp's weight stream.
/// </summary>
/// <remarks>
/// Format history: version 1 — the layout up to the item codes; version 2 — adds <see cref="GenerativeRecommenderOptions.LossScope"/>
/// after the options (version 1 files load with <see cref="GenerativeLossScope.Level"/>, the only form they knew).
/// </remarks>
internal static class GenerativeModelBlob
{
    public const string Kind = "genrec-generative";
    private const string Magic = "GenRec.Generative";
    private const int Version = 2;

    public static byte[] Save(GenerativeRecommenderModel model)
    {
        GenerativeRecommenderOptions o = model.Options;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write((int)o.Architecture);
            w.Write((int)o.InputMode);
            w.Write(o.EncoderLayers);
            w.Write(o.DecoderLayers);
            w.Write(o.ModelDimension);
            w.Write(o.Heads);
            w.Write(o.HeadDimension);
            w.Write(o.FeedForwardDimension);
            w.Write(o.Dropout);
            w.Write(o.MaxHistoryLength);
            w.Write(o.Temperature);
            w.Write(o.UseUserToken);
            w.Write(o.UserHashBuckets);
            w.Write(o.BeamSize);
            w.Write(o.TopK);
            w.Write(o.DecodeBatchSize);
            w.Write(o.ExcludeHistoryFromRecommendations);
            w.Write((int)o.LossScope);

            Persistence.SemanticIdTableBinary.Write(w, model.Codes);

            foreach (int count in model.ItemCounts)
            {
                w.Write(count);
            }

            byte[] weights = model.SaveWeights();
            w.Write(weights.Length);
            w.Write(weights);
        }

        return stream.ToArray();
    }

    public static GenerativeRecommenderModel Load(byte[] blob)
    {
        using var r = new Persistence.BoundedBlobReader(blob, "generative recommender");
        if (r.ReadString() != Magic)
        {
            throw new InvalidDataException("The carried weights are not a GenRec generative recommender.");
        }

        int version = r.ReadInt32();
        if (version < 1 || version > Version)
        {
            throw new InvalidDataException($"Generative recommender format version {version} is not supported (this library reads versions 1 to {Version}).");
        }

        var options = new GenerativeRecommenderOptions
        {
            Architecture = (GenerativeArchitecture)r.ReadInt32(),
            InputMode = (GenerativeInputMode)r.ReadInt32(),
            EncoderLayers = r.ReadInt32(),
            DecoderLayers = r.ReadInt32(),
            ModelDimension = r.ReadInt32(),
            Heads = r.ReadInt32(),
            HeadDimension = r.ReadInt32(),
            FeedForwardDimension = r.ReadInt32(),
            Dropout = r.ReadDouble(),
            MaxHistoryLength = r.ReadInt32(),
            Temperature = r.ReadDouble(),
            UseUserToken = r.ReadBoolean(),
            UserHashBuckets = r.ReadInt32(),
            BeamSize = r.ReadInt32(),
            TopK = r.ReadInt32(),
            DecodeBatchSize = r.ReadInt32(),
            ExcludeHistoryFromRecommendations = r.ReadBoolean(),
        };
        if (version >= 2)
        {
            options.LossScope = (GenerativeLossScope)r.ReadInt32();
            if (!Enum.IsDefined(options.LossScope))
            {
                throw new InvalidDataException($"The generative recommender's loss scope {(int)options.LossScope} is not a known {nameof(GenerativeLossScope)}.");
            }
        }

        SemanticIdTable codes = Persistence.SemanticIdTableBinary.Read(r);
        int[] counts = r.ReadInt32s(codes.ItemCount, "the item counts");
        byte[] weights = r.ReadBlock("the network weights");
        Persistence.ModelFileLimits.CheckGenerative(options, codes, weights); // before any module is built
        return GenerativeRecommenderModel.Load(weights, options, codes, counts);
    }
}
