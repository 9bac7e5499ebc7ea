using GenRec.MLNet.Data;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Persistence;
using GenRec.MLNet.Tests.Generative;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tests.Serving;

/// <summary>
/// Tiny generative models of both architectures and every serving layout, trained once for the serving tests, each
/// saved and loaded back in a fresh <see cref="MLContext"/> with the model cache cleared: history rows
/// (encoder-decoder), history rows with a user key (decoder-only, TIGER's user token), and interaction rows served from
/// a user key alone (both architectures).
/// </summary>
public sealed class ServingFixture : IDisposable
{
    private static readonly InteractionDataset Dataset = GenerativeTestData.Catalog.Dataset;
    private readonly List<string> _zips = new();

    public ServingFixture()
    {
        Histories = Train("history rows, encoder-decoder", GenerativeArchitecture.EncoderDecoder, userToken: false, interactionRows: false);
        UserHistories = Train("history rows with a user key, decoder-only", GenerativeArchitecture.DecoderOnly, userToken: true, interactionRows: false);
        EncoderDecoderRows = Train("interaction rows, encoder-decoder", GenerativeArchitecture.EncoderDecoder, userToken: false, interactionRows: true);
        DecoderOnlyRows = Train("interaction rows, decoder-only", GenerativeArchitecture.DecoderOnly, userToken: false, interactionRows: true);
    }

    public ServedModel Histories { get; }

    public ServedModel UserHistories { get; }

    public ServedModel EncoderDecoderRows { get; }

    public ServedModel DecoderOnlyRows { get; }

    public IEnumerable<ServedModel> All => new[] { Histories, UserHistories, EncoderDecoderRows, DecoderOnlyRows };

    public void Dispose()
    {
        foreach (string zip in _zips)
        {
            File.Delete(zip);
        }
    }

    private ServedModel Train(string name, GenerativeArchitecture architecture, bool userToken, bool interactionRows)
    {
        var ml = new MLContext(seed: 1);
        var options = GenerativeTestData.Tiny(architecture, epochs: 1);
        IDataView itemIds = ml.Data.LoadFromEnumerable(Dataset.ItemIds.Select(id => new KeyValue { Id = id }));
        IDataView userIds = ml.Data.LoadFromEnumerable(Dataset.UserIds.Select(id => new KeyValue { Id = id }));
        // keyData fixes key order = index order, so key k is item (user) k - 1 of the dataset.
        var keys = ml.Transforms.Conversion.MapValueToKey("UserId", nameof(ServingRow.User), keyData: userIds)
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(ServingRow.Item), keyData: itemIds))
            .Append(ml.Transforms.Conversion.MapValueToKey("History", nameof(ServingRow.History), keyData: itemIds))
            .Append(ml.Transforms.CopyColumns("SemanticId", nameof(ServingRow.Codes)));
        IEstimator<ITransformer> generative;
        IDataView training;
        int[][] sequences = Dataset.SequencesByUser();
        if (interactionRows)
        {
            options.UserColumnName = "UserId";
            options.TimestampColumnName = nameof(ServingRow.Timestamp);
            training = ml.Data.LoadFromEnumerable(sequences.SelectMany((s, u) => s[..^1].Select((item, t) => new ServingRow
            {
                User = Dataset.UserIds[u], Item = Dataset.ItemIds[item], Timestamp = t, Codes = Array.ConvertAll(GenerativeTestData.Codes.GetCodes(item), c => (uint)c),
            })));
            generative = ml.GenerativeRecommendation().GenerativeRecommender(options);
        }
        else
        {
            options.HistoryColumnName = "History";
            if (userToken)
            {
                options.UseUserToken = true;
                options.UserHashBuckets = 64;
                options.UserColumnName = "UserId";
            }

            training = ml.Data.LoadFromEnumerable(sequences.Select((s, u) => new ServingRow { User = Dataset.UserIds[u], History = s[..^1].Select(i => Dataset.ItemIds[i]).ToArray() }));
            generative = ml.GenerativeRecommendation().GenerativeRecommender(GenerativeTestData.Codes, options);
        }

        ITransformer fitted = keys.Append(generative).Fit(training);
        string zip = Path.Combine(Path.GetTempPath(), $"genrec-serving-{Guid.NewGuid():N}.zip");
        _zips.Add(zip);
        ml.Model.Save(fitted, training.Schema, zip);
        ModelBlobCache.Clear();
        var fresh = new MLContext(seed: 2);
        return new ServedModel(name, fitted, fresh, fresh.Model.Load(zip, out _), zip, interactionRows, PredictionRows(interactionRows));
    }

    /// <summary>
    /// Rows to score: known users; for interaction rows also rows that name an item (their Score), an unseen item and an
    /// unseen user; for history rows also an empty history and histories with unseen items.
    /// </summary>
    private static ServingRow[] PredictionRows(bool interactionRows)
    {
        int[][] sequences = Dataset.SequencesByUser();
        var rows = new List<ServingRow>();
        for (int u = 0; u < 45; u++)
        {
            string item = interactionRows && u % 3 == 0 ? Dataset.ItemIds[(u * 7) % Dataset.ItemCount] : "";
            string[] history = interactionRows ? Array.Empty<string>() : sequences[u][..^1].Select(i => Dataset.ItemIds[i]).ToArray();
            rows.Add(new ServingRow { User = Dataset.UserIds[u], Item = item, History = history });
        }

        rows.Add(new ServingRow { User = "never-seen-user", Item = interactionRows ? Dataset.ItemIds[1] : "", History = interactionRows ? Array.Empty<string>() : new[] { "never-seen-item" } });
        rows.Add(new ServingRow { User = Dataset.UserIds[3], Item = interactionRows ? "never-seen-item" : "" });
        return rows.ToArray();
    }
}

/// <summary>The serving tests share one set of trained models.</summary>
[Xunit.CollectionDefinition(Name)]
public sealed class ServingCollection : Xunit.ICollectionFixture<ServingFixture>
{
    public const string Name = "Serving";
}

/// <summary>One trained model: as fitted, and as loaded from its zip (with the context that loaded it).</summary>
public sealed record ServedModel(string Name, ITransformer Fitted, MLContext Context, ITransformer Loaded, string Zip, bool InteractionRows, ServingRow[] Rows)
{
    public override string ToString() => Name;
}

/// <summary>One key value of a key mapping's keyData.</summary>
public sealed class KeyValue
{
    public string Id { get; set; } = "";
}

/// <summary>A row as the serving tests load it: raw user and item IDs, a history, codes (training only) and a timestamp.</summary>
public sealed class ServingRow
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public string[] History { get; set; } = Array.Empty<string>();

    public uint[] Codes { get; set; } = Array.Empty<uint>();

    public double Timestamp { get; set; }
}

/// <summary>What the serving tests read back: the recommendations, their scores and the row's item score (NaN when the layout has none).</summary>
public sealed record ServedRow(uint[] RecommendedItems, float[] Scores, float Score)
{
    /// <summary>Every row of <paramref name="scored"/>, read through one cursor.</summary>
    public static List<ServedRow> ReadAll(IDataView scored)
    {
        DataViewSchema.Column items = scored.Schema["RecommendedItems"];
        DataViewSchema.Column scores = scored.Schema["Scores"];
        DataViewSchema.Column? score = scored.Schema.GetColumnOrNull("Score");
        var columns = score is { } s ? new[] { items, scores, s } : new[] { items, scores };
        using DataViewRowCursor cursor = scored.GetRowCursor(columns);
        var itemGetter = cursor.GetGetter<VBuffer<uint>>(items);
        var scoresGetter = cursor.GetGetter<VBuffer<float>>(scores);
        ValueGetter<float>? scoreGetter = score is { } c ? cursor.GetGetter<float>(c) : null;
        var rows = new List<ServedRow>();
        VBuffer<uint> itemValues = default;
        VBuffer<float> scoreValues = default;
        while (cursor.MoveNext())
        {
            itemGetter(ref itemValues);
            scoresGetter(ref scoreValues);
            float rowScore = float.NaN;
            scoreGetter?.Invoke(ref rowScore);
            rows.Add(new ServedRow(itemValues.DenseValues().ToArray(), scoreValues.DenseValues().ToArray(), rowScore));
        }

        return rows;
    }
}
