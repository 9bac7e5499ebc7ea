using GenRec.Cli.Input;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Presets;
using GenRec.MLNet.Sweeping;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Cli.Training;

/// <summary>
/// Builds the library's one ML.NET pipeline over raw interaction rows (docs/pipeline.md) for a preset: user and item
/// IDs become keys, a collaborative stage learns embeddings, the tokenizer learns semantic IDs, the generative stage
/// learns to recommend, and <c>RecommendedItemIds</c> gives the original item IDs back.
/// </summary>
/// <remarks>
/// A prediction row may bring its own <c>History</c> (original item IDs). It is mapped to keys with the same key data
/// as <c>Item</c>, so both columns number the items identically, which the generative stage checks by value.
/// </remarks>
public sealed class PipelineBuilder
{
    /// <summary>The key column of the item IDs a prediction row brings as its history.</summary>
    public const string HistoryKeysColumn = "HistoryItemIds";

    /// <summary>The recommendations as original item IDs.</summary>
    public const string RecommendedIdsColumn = "RecommendedItemIds";

    private readonly MLContext _ml;
    private readonly TrainingSettings _settings;
    private readonly List<TrainingStage> _stages = [];

    private readonly Func<int, TrainingStage, IProgress<TrainingProgress>?> _progress;

    /// <summary>Creates a builder for <paramref name="settings"/> in <paramref name="ml"/>.</summary>
    /// <param name="ml">The context the estimators belong to.</param>
    /// <param name="settings">Preset, budget, checkpoints, seed.</param>
    /// <param name="progress">Gives each stage (index, stage) its progress hook; null for none.</param>
    public PipelineBuilder(MLContext ml, TrainingSettings settings, Func<int, TrainingStage, IProgress<TrainingProgress>?>? progress = null)
    {
        _ml = ml;
        _settings = settings;
        _progress = progress ?? ((_, _) => null);
    }

    /// <summary>The trained stages of the last <see cref="Build"/>, in pipeline order.</summary>
    public IReadOnlyList<TrainingStage> Stages => _stages;

    /// <summary>Builds the chain; <paramref name="itemKeys"/> is a one-column view of the training items (the key order).</summary>
    public IEstimator<ITransformer> Build(IDataView itemKeys)
    {
        _stages.Clear();
        var genRec = _ml.GenerativeRecommendation();
        IEstimator<ITransformer> model = _settings.Preset switch
        {
            TrainingPreset.Tiger => Generative(genRec, Collaborative(CollaborativeModelKind.MatrixFactorization, 64, 50, 0.01), GenRecPresets.Tiger()),
            TrainingPreset.Letter => Generative(genRec, Collaborative(CollaborativeModelKind.SasRec, 32, 200, 1e-3), GenRecPresets.Letter()),
            TrainingPreset.TokenRec => Retrieval(genRec),
            _ => Small(genRec),
        };
        return Keys(_ml, itemKeys).Append(model).Append(_ml.Transforms.Conversion.MapKeyToValue(RecommendedIdsColumn, "RecommendedItems"));
    }

    /// <summary>
    /// The small preset's stages from <paramref name="options"/> between the same key mappings as <see cref="Build"/>,
    /// without checkpoints, progress or seeds of its own: one sweep trial, whose options carry the sweep's seed and
    /// cancellation token.
    /// </summary>
    public static IEstimator<ITransformer> BuildTrial(MLContext ml, IDataView itemKeys, GenerativePipelineOptions options) =>
        Keys(ml, itemKeys)
            .Append(ml.GenerativeRecommendation().GenerativePipeline(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue(RecommendedIdsColumn, "RecommendedItems"));

    /// <summary>
    /// The small preset's options, value by value the README's first program (minutes on a CPU, so it is the default
    /// preset), with the columns the CLI's rows and saved models use. <c>genrec sweep</c> starts from these.
    /// </summary>
    public static GenerativePipelineOptions SmallOptions(int topK = 20) => new()
    {
        Collaborative = Collaborative(CollaborativeModelKind.MatrixFactorization, 32, 10, 0.01),
        Tokenizer = new SemanticIdTokenizerOptions
        {
            ContentColumnName = "ItemEmbedding",
            RqVae = new RqVaeOptions { Levels = 3, CodebookSize = 16, CodeDimension = 16, EncoderLayerSizes = [64], NumberOfEpochs = 40 },
        },
        Recommender = new GenerativeRecommenderOptions
        {
            Architecture = GenerativeArchitecture.DecoderOnly, InputMode = GenerativeInputMode.ItemEmbedding,
            DecoderLayers = 2, ModelDimension = 64, Heads = 2, HeadDimension = 32, FeedForwardDimension = 128,
            NumberOfEpochs = 15, LearningRate = 3e-3, MaxTrainingTime = TimeSpan.FromSeconds(60),
            TimestampColumnName = nameof(InteractionRow.Timestamp),
            PredictionHistoryColumnName = HistoryKeysColumn,
            TopK = topK,
        },
    };

    // User and item IDs become keys; a prediction row's History is keyed with the same key data as Item.
    private static IEstimator<ITransformer> Keys(MLContext ml, IDataView itemKeys) =>
        ml.Transforms.Conversion.MapValueToKey("UserId", nameof(InteractionRow.User))
            .Append(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(InteractionRow.Item), keyData: itemKeys))
            .Append(ml.Transforms.Conversion.MapValueToKey(HistoryKeysColumn, nameof(InteractionRow.History), keyData: itemKeys));

    // The small preset, or the options a sweep chose for it (TrainingSettings.Options).
    private IEstimator<ITransformer> Small(GenRecCatalog genRec)
    {
        GenerativePipelineOptions options = _settings.Options ?? SmallOptions(_settings.TopK);
        if (options.Collaborative is null)
        {
            throw new InvalidOperationException("The small pipeline needs its collaborative stage: the tokenizer quantizes its item embeddings.");
        }

        return Generative(genRec, options.Collaborative, options.Tokenizer, options.Recommender);
    }

    private IEstimator<ITransformer> Generative(GenRecCatalog genRec, CollaborativeEmbeddingOptions cf, GenerativeRecipe recipe)
    {
        // Without item text the collaborative embedding is the content the RQ-VAE quantizes (README pipeline).
        recipe.Tokenizer.ContentColumnName = "ItemEmbedding";
        return Generative(genRec, cf, recipe.Tokenizer, recipe.Recommender);
    }

    private IEstimator<ITransformer> Generative(GenRecCatalog genRec, CollaborativeEmbeddingOptions cf, SemanticIdTokenizerOptions tokenizer, GenerativeRecommenderOptions recommender)
    {
        recommender.TimestampColumnName = nameof(InteractionRow.Timestamp);
        recommender.PredictionHistoryColumnName = HistoryKeysColumn;
        recommender.TopK = _settings.TopK;
        recommender.BeamSize = _settings.BeamSize ?? recommender.BeamSize;
        AddStage("collaborative", $"{cf.Model}, {cf.Dimension}-d", cf, 0.2, "Recall@10");
        AddStage("tokenizer", $"RQ-VAE {tokenizer.RqVae.Levels} x {tokenizer.RqVae.CodebookSize}", tokenizer.RqVae, 0.2, "-collision rate");
        AddStage("recommender", $"{recommender.Architecture}, d {recommender.ModelDimension}", recommender, 0.6, "Recall@10");
        return new EstimatorChain<ITransformer>()
            .Append(genRec.CollaborativeEmbedding(cf))
            .Append(genRec.SemanticIdTokenizer(tokenizer))
            .Append(genRec.GenerativeRecommender(recommender));
    }

    private IEstimator<ITransformer> Retrieval(GenRecCatalog genRec)
    {
        RetrievalRecipe recipe = GenRecPresets.TokenRec();
        var cf = Collaborative(CollaborativeModelKind.LightGcn, 64, 200, 1e-3);
        SemanticIdTokenizerOptions items = recipe.ItemTokenizer, users = recipe.UserTokenizer;
        // The preset's user tokenizer already reads UserId / UserEmbedding and writes the UserSemanticId the retrieval reads.
        GenerativeRetrievalOptions retrieval = recipe.Retrieval;
        retrieval.UserColumnName = "UserId";
        retrieval.TimestampColumnName = nameof(InteractionRow.Timestamp);
        retrieval.HoldOutLastItemForValidation = true;
        retrieval.PredictionHistoryColumnName = HistoryKeysColumn;
        retrieval.TopK = _settings.TopK;
        AddStage("collaborative", $"LightGCN, {cf.Dimension}-d", cf, 0.2, "Recall@10");
        AddStage("item tokenizer", $"K-way {items.MaskedKWay.Ways} x {items.MaskedKWay.CodebookSize}", items.MaskedKWay, 0.1, "none");
        AddStage("user tokenizer", $"K-way {users.MaskedKWay.Ways} x {users.MaskedKWay.CodebookSize}", users.MaskedKWay, 0.1, "none");
        AddStage("retrieval", $"{retrieval.Layers}-layer encoder, d {retrieval.ModelDimension}", retrieval, 0.6, "Recall@10");
        return new EstimatorChain<ITransformer>()
            .Append(genRec.CollaborativeEmbedding(cf))
            .Append(genRec.SemanticIdTokenizer(items))
            .Append(genRec.SemanticIdTokenizer(users))
            .Append(genRec.GenerativeRetrieval(retrieval));
    }

    private static CollaborativeEmbeddingOptions Collaborative(CollaborativeModelKind kind, int dimension, int epochs, double learningRate) => new()
    {
        Model = kind,
        Dimension = dimension,
        NumberOfEpochs = epochs,
        LearningRate = learningRate,
        TimestampColumnName = nameof(InteractionRow.Timestamp),
        // The generative stage writes RecommendedItems; the collaborative ranking keeps its own columns.
        RecommendedItemsColumnName = "CfRecommendedItems",
        ScoresColumnName = "CfScores",
    };

    // Called before the stage's estimator is built: estimators keep their own copy of the options.
    private void AddStage(string name, string description, TorchTrainerOptions options, double budgetShare, string validationMetric)
    {
        int index = _stages.Count;
        var stage = new TrainingStage(name, description, options, budgetShare, validationMetric);
        _stages.Add(stage);
        if (_settings.Budget is { } budget)
        {
            // The shares of every preset add up to 1, so the stages together stay within --minutes.
            options.MaxTrainingTime = budget * budgetShare;
        }

        // Explicit per-stage seeds keep a resumed run bound to the same checkpoints whatever else draws from the context.
        options.Seed = _settings.Seed + index;
        options.CheckpointDirectory = Path.Combine(_settings.CheckpointDirectory, $"{index + 1}-{name.Replace(' ', '-')}");
        options.CheckpointEveryNSteps = 100;
        // Every step: a stage with few large batches (LETTER's batch of 1,024) would otherwise show nothing until its
        // first validation. The display throttles what it writes, and the recorded curve thins itself.
        options.LogEveryNSteps = 1;
        options.CancellationToken = _settings.Cancellation;
        options.Progress = _progress(index, stage);
    }
}
