using System.Globalization;
using System.Text;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tests.Collaborative;
using GenRec.MLNet.Tests.Generative;
using GenRec.MLNet.Tests.Pipeline;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.ResidualKMeans;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Persistence;

/// <summary>
/// Four tiny saved model zips that between them hold every kind of model the library saves: LightGCN → RQ-VAE →
/// generative recommender; MF → K-way tokenizers → generative retrieval; SASRec; MF → residual k-means tokenizer (its
/// CF embedding fused, standardized content). Each is trained for one epoch per
/// stage (the weights only have to exist), saved, and scored once through a fresh load to record its outputs.
/// </summary>
public sealed class SavedModelZipsFixture
{
    public SavedModelZipsFixture()
    {
        Zips = new[] { BuildGenerativeChain(), BuildRetrievalChain(), BuildSasRec(), BuildResidualKMeansChain() };
    }

    internal IReadOnlyList<SavedZip> Zips { get; }

    /// <summary>Every visible output column of <paramref name="view"/>, formatted exactly (floats round-trip).</summary>
    internal static string Format(IDataView view)
    {
        var text = new StringBuilder();
        DataDebuggerPreview preview = view.Preview(maxRows: 100);
        foreach (DataDebuggerPreview.RowInfo row in preview.RowView)
        {
            foreach (KeyValuePair<string, object> cell in row.Values)
            {
                if (!cell.Key.StartsWith("__GenRec", StringComparison.Ordinal))
                {
                    text.Append(cell.Key).Append('=').Append(FormatValue(cell.Value)).Append(';');
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Loads <paramref name="zipPath"/> into a fresh context and formats its outputs on the zip's own input rows.</summary>
    internal static string LoadAndScore(SavedZip zip, string zipPath)
    {
        var ml = new MLContext(seed: 1);
        ITransformer loaded = ml.Model.Load(zipPath, out _);
        return Format(loaded.Transform(zip.Input(ml)));
    }

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        // Before IEnumerable: a VBuffer enumerates its explicit values only, and a default one cannot enumerate at all.
        _ when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(VBuffer<>) =>
            "[" + FormatValue(value.GetType().GetMethod(nameof(VBuffer<int>.DenseValues))!.Invoke(value, null)) + "]",
        System.Collections.IEnumerable sequence and not string => string.Join(',', sequence.Cast<object?>().Select(FormatValue)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static SavedZip BuildGenerativeChain()
    {
        var ml = new MLContext(seed: 3);
        IDataView training = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows);
        GenerativeRecommenderOptions generative = GenerativeTestData.Tiny(epochs: 1);
        generative.UserColumnName = "UserId";
        generative.TimestampColumnName = nameof(InteractionRow.Timestamp);
        generative.BeamSize = 5;
        generative.TopK = 5;
        RqVaeOptions rqVae = Tokenization.RqVae.RqVaeTestData.SmallOptions(epochs: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Model = CollaborativeModelKind.LightGcn, GraphLayers = 1, Dimension = 16, NumberOfEpochs = 1,
                TimestampColumnName = nameof(InteractionRow.Timestamp), Device = TorchDeviceKind.Cpu, Seed = 5, LogEveryNSteps = 10_000,
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions { ContentColumnName = "ItemEmbedding", RqVae = rqVae }))
            .Append<ITransformer>(ml.GenerativeRecommendation().GenerativeRecommender(generative));
        return Save("lightgcn-rqvae-generative", ml, pipeline.Fit(training), training,
            m => m.Data.LoadFromEnumerable(OnePipelineFixture.Rows.Take(6).ToArray()));
    }

    private static SavedZip BuildRetrievalChain()
    {
        var ml = new MLContext(seed: 3);
        IDataView training = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows);
        GenerativeRetrievalOptions retrieval = Generative.Retrieval.RetrievalPipelineTests.Options(epochs: 1);
        retrieval.TimestampColumnName = nameof(InteractionRow.Timestamp);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Model = CollaborativeModelKind.MatrixFactorization, Dimension = 16, NumberOfEpochs = 1, Device = TorchDeviceKind.Cpu, Seed = 5, LogEveryNSteps = 10_000,
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "ItemEmbedding", Method = SemanticIdMethod.MaskedKWay, MaskedKWay = KWay(),
            }))
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ItemColumnName = "UserId", ContentColumnName = "UserEmbedding", Method = SemanticIdMethod.MaskedKWay, MaskedKWay = KWay(),
                SemanticIdColumnName = "UserSemanticId", QuantizedColumnName = "UserQuantizedVector",
            }))
            .Append<ITransformer>(ml.GenerativeRecommendation().GenerativeRetrieval(retrieval));
        return Save("mf-kway-retrieval", ml, pipeline.Fit(training), training,
            m => m.Data.LoadFromEnumerable(OnePipelineFixture.Rows.Take(6).ToArray()));
    }

    private static SavedZip BuildSasRec()
    {
        var ml = new MLContext(seed: 1);
        var dataset = SasRecServingFixture.Catalog.Dataset;
        SasRecRow[] rows = Enumerable.Range(0, dataset.InteractionCount)
            .Select(i => new SasRecRow { User = dataset.UserIds[dataset.UserIndices[i]], Item = dataset.ItemIds[dataset.ItemIndices[i]], Timestamp = dataset.Timestamps?[i] ?? i })
            .ToArray();
        IDataView training = ml.Data.LoadFromEnumerable(rows);
        IDataView items = ml.Data.LoadFromEnumerable(dataset.ItemIds.Select(id => new KeyRow { Id = id }));
        CollaborativeEmbeddingOptions options = SasRecServingFixture.Options();
        options.NumberOfEpochs = 1;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(SasRecRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(SasRecRow.Item), keyData: items))
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictionHistory", nameof(SasRecRow.History), keyData: items))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(options));
        SasRecRow[] requests = rows.Take(4).Append(new SasRecRow { User = "never-seen", History = new[] { dataset.ItemIds[2], dataset.ItemIds[7] } }).ToArray();
        return Save("sasrec", ml, pipeline.Fit(training), training, m => m.Data.LoadFromEnumerable(requests));
    }

    private static SavedZip BuildResidualKMeansChain()
    {
        var ml = new MLContext(seed: 3);
        IDataView training = ml.Data.LoadFromEnumerable(OnePipelineFixture.Rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item)))
            .Append(ml.GenerativeRecommendation().CollaborativeEmbedding(new CollaborativeEmbeddingOptions
            {
                Model = CollaborativeModelKind.MatrixFactorization, Dimension = 8, NumberOfEpochs = 1, Device = TorchDeviceKind.Cpu, Seed = 5, LogEveryNSteps = 10_000,
            }))
            // The item embedding is both the content and the fused CF vector: the saved chain then carries the
            // concatenation step and every array of the blob (standardization statistics, centroids).
            .Append(ml.GenerativeRecommendation().SemanticIdTokenizer(new SemanticIdTokenizerOptions
            {
                ContentColumnName = "ItemEmbedding", CollaborativeColumnName = "ItemEmbedding", Method = SemanticIdMethod.ResidualKMeans,
                ResidualKMeans = new ResidualKMeansOptions { Levels = 2, CodebookSize = 4, Seed = 1, Normalization = InputNormalization.Standardize },
            }));
        // Unknown items (key 0) are coded from their vectors, so the encoder itself is scored, not only the tables.
        InteractionRow[] requests = OnePipelineFixture.Rows.Take(4).Append(new InteractionRow { User = OnePipelineFixture.Rows[0].User, Item = "never-seen" }).ToArray();
        return Save("mf-rqkmeans", ml, pipeline.Fit(training), training, m => m.Data.LoadFromEnumerable(requests));
    }

    private static MaskedKWayOptions KWay() => new()
    {
        Ways = 3, CodebookSize = 8, CodeDimension = 8, EncoderLayerSizes = new[] { 16 }, NumberOfEpochs = 1, MinimumTrainingSteps = 0, BatchSize = 64,
        LearningRate = 3e-3, KMeansIterations = 3, Device = TorchDeviceKind.Cpu, Seed = 1,
    };

    private static SavedZip Save(string name, MLContext ml, ITransformer model, IDataView training, Func<MLContext, IDataView> input)
    {
        string path = Path.Combine(Path.GetTempPath(), $"genrec-fuzz-{name}-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, training.Schema, path);
            var zip = new SavedZip(name, File.ReadAllBytes(path), input);
            zip.Baseline = LoadAndScore(zip, path);
            return zip;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class KeyRow
    {
        public string Id { get; set; } = "";
    }
}

/// <summary>One saved zip, the rows it is scored on, and its outputs when intact.</summary>
internal sealed class SavedZip
{
    public SavedZip(string name, byte[] bytes, Func<MLContext, IDataView> input)
    {
        Name = name;
        Bytes = bytes;
        Input = input;
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    public Func<MLContext, IDataView> Input { get; }

    public string Baseline { get; set; } = "";

    public override string ToString() => Name;
}
