using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Samples.ServeModel;

/// <summary>
/// The loaded model and what it knows (users, items, how many recommendations it returns), with a pool of prediction
/// engines. An ML.NET <see cref="PredictionEngine{TSrc,TDst}"/> reuses its buffers and must serve one row at a time,
/// so each request borrows its own engine; engines are kept for reuse instead of being rebuilt per request.
/// </summary>
/// <remarks>
/// The generative stage itself serializes beam searches on one loaded model (it reuses decoding buffers), so requests
/// overlap in everything but the decoding step; see docs/samples.md.
/// </remarks>
public sealed class RecommendationService
{
    private readonly ObjectPool<PredictionEngine<ServeInput, ServeOutput>> _engines;
    private readonly HashSet<string> _users;
    private readonly HashSet<string> _items;
    private readonly IReadOnlyDictionary<string, string>? _titles;
    private readonly string _modelPath;

    public RecommendationService(IOptions<ServeModelOptions> options)
    {
        ServeModelOptions settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ModelPath))
        {
            throw new InvalidOperationException("No model to serve: set GenRec:ModelPath (e.g. --GenRec:ModelPath=model.zip, or GenRec__ModelPath in the environment).");
        }

        _modelPath = Path.GetFullPath(settings.ModelPath);
        if (!File.Exists(_modelPath))
        {
            throw new FileNotFoundException($"GenRec:ModelPath names '{_modelPath}', which does not exist.", _modelPath);
        }

        var ml = new MLContext();
        ITransformer model = ml.Model.Load(_modelPath, out DataViewSchema inputSchema);
        DataViewSchema outputSchema = model.GetOutputSchema(inputSchema);
        foreach (string column in new[] { nameof(ServeOutput.RecommendedItemIds), nameof(ServeOutput.Scores) })
        {
            if (outputSchema.GetColumnOrNull(column) is null)
            {
                throw new InvalidOperationException($"The model in '{_modelPath}' has no '{column}' output column; its pipeline must end with " +
                                                    "MapKeyToValue(\"RecommendedItemIds\", \"RecommendedItems\") after a GenRec recommender stage.");
            }
        }

        _users = KeyValues(outputSchema, settings.UserKeyColumn, _modelPath);
        _items = KeyValues(outputSchema, settings.ItemKeyColumn, _modelPath);
        AcceptsHistory = inputSchema.GetColumnOrNull(settings.HistoryColumn) is not null;
        _titles = string.IsNullOrWhiteSpace(settings.ItemTitlesPath) ? null : ItemTitles.Read(settings.ItemTitlesPath);

        int idle = settings.MaxIdleEngines > 0 ? settings.MaxIdleEngines : 2 * Environment.ProcessorCount;
        _engines = new DefaultObjectPool<PredictionEngine<ServeInput, ServeOutput>>(new PredictionEnginePolicy(ml, model), idle);

        // How many items the model returns per row is fixed at training (TopK); ask once rather than guess.
        MaxTop = Predict(new ServeInput { User = _users.First() }).RecommendedItemIds.Length;
    }

    /// <summary>How many items the model returns for a row (its TopK at training); the most a request may ask for.</summary>
    public int MaxTop { get; }

    /// <summary>Whether the model was trained with a prediction-history column, so that POST /recommend can be served.</summary>
    public bool AcceptsHistory { get; }

    public bool IsKnownUser(string user) => _users.Contains(user);

    /// <summary>The IDs in <paramref name="history"/> that the model's item mapping does not have, in request order.</summary>
    public IReadOnlyList<string> UnknownItems(IEnumerable<string> history) => history.Where(item => !_items.Contains(item)).Distinct().ToArray();

    /// <summary>The top <paramref name="top"/> items for a known user, from the history stored in the model.</summary>
    public IReadOnlyList<RecommendedItem> RecommendForUser(string user, int top) => Top(Predict(new ServeInput { User = user }), top);

    /// <summary>The top <paramref name="top"/> items after <paramref name="history"/> (known item IDs, oldest first).</summary>
    public IReadOnlyList<RecommendedItem> RecommendForHistory(string[] history, int top) => Top(Predict(new ServeInput { History = history }), top);

    public ModelDescription Describe() => new(_modelPath, _users.Count, _items.Count, MaxTop, AcceptsHistory, _titles is not null);

    private ServeOutput Predict(ServeInput input)
    {
        PredictionEngine<ServeInput, ServeOutput> engine = _engines.Get();
        try
        {
            return engine.Predict(input);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private RecommendedItem[] Top(ServeOutput output, int top) =>
        [.. output.RecommendedItemIds.Take(top).Select((item, rank) => new RecommendedItem(item, _titles?.GetValueOrDefault(item), output.Scores[rank]))];

    /// <summary>The original IDs of a key column (its KeyValues annotation), which is what the model knows.</summary>
    private static HashSet<string> KeyValues(DataViewSchema schema, string column, string modelPath)
    {
        DataViewSchema.Column key = schema.GetColumnOrNull(column)
            ?? throw new InvalidOperationException($"The model in '{modelPath}' has no '{column}' key column (set GenRec:UserKeyColumn / GenRec:ItemKeyColumn).");
        if (!key.HasKeyValues())
        {
            throw new InvalidOperationException($"Column '{column}' of the model in '{modelPath}' is not a key column with values (MapValueToKey output expected).");
        }

        VBuffer<ReadOnlyMemory<char>> values = default;
        key.GetKeyValues(ref values);
        return values.DenseValues().Select(value => value.ToString()).ToHashSet(StringComparer.Ordinal);
    }
}
