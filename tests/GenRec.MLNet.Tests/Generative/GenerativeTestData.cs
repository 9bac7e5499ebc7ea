using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Synthetic;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;

namespace GenRec.MLNet.Tests.Generative;

/// <summary>
/// A small synthetic catalog with "ideal" semantic IDs derived from its ground truth: level 0 = category,
/// level 1 = subcategory within the category, level 2 = a unique index within the subcategory (3 levels × 8 codes).
/// </summary>
internal static class GenerativeTestData
{
    public static readonly SyntheticCatalog Catalog = SyntheticCatalogGenerator.Generate(new SyntheticCatalogOptions { UserCount = 300, ItemCount = 100, MaxSequenceLength = 16, Seed = 5 });

    public static readonly SemanticIdTable Codes = BuildCodes(Catalog);

    public static readonly LeaveOneOutSplit Split = SequenceSplitter.LeaveOneOut(Catalog.Dataset, maxHistory: 10);

    /// <summary>Test cases: history = training items + validation item, target = last item.</summary>
    public static readonly EvaluationCase[] TestCases = Split.TestCases.Select(c => new EvaluationCase(c.UserIndex, c.History, new[] { c.Target })).ToArray();

    public static IReadOnlyList<RecommendationRequest> Requests(int count) => TestCases.Take(count).Select(c => new RecommendationRequest(c.UserIndex, c.History)).ToArray();

    /// <summary>
    /// A tiny model: 2 + 2 layers, d 32, 2 heads of 16, history 10. Dropout is off because LibTorch's CPU attention
    /// with dropout takes a slow path (about twice the attention time), and these runs are too short to overfit.
    /// </summary>
    public static GenerativeRecommenderOptions Tiny(GenerativeArchitecture architecture = GenerativeArchitecture.EncoderDecoder, GenerativeInputMode input = GenerativeInputMode.CodeTokens, int epochs = 12) => new()
    {
        Architecture = architecture,
        InputMode = input,
        EncoderLayers = 2,
        DecoderLayers = 2,
        ModelDimension = 32,
        Heads = 2,
        HeadDimension = 16,
        FeedForwardDimension = 64,
        Dropout = 0.0,
        MaxHistoryLength = 10,
        BeamSize = 20,
        TopK = 10,
        NumberOfEpochs = epochs,
        BatchSize = 128,
        LearningRate = 3e-3,
        WarmupSteps = 10,
        LearningRateSchedule = LearningRateSchedule.Cosine,
        EarlyStoppingPatience = 0,
        ValidateEveryNEpochs = epochs,
        MaxValidationUsers = 100,
        LogEveryNSteps = 5,
        Device = TorchDeviceKind.Cpu,
        Seed = 11,
    };

    private static SemanticIdTable BuildCodes(SyntheticCatalog catalog)
    {
        int perCategory = catalog.Options.SubcategoriesPerCategory;
        var seenInSubcategory = new Dictionary<int, int>();
        var rows = new int[catalog.Dataset.ItemCount][];
        for (int item = 0; item < rows.Length; item++)
        {
            int subcategory = catalog.ItemSubcategory[item];
            int index = seenInSubcategory.GetValueOrDefault(subcategory);
            seenInSubcategory[subcategory] = index + 1;
            rows[item] = new[] { catalog.ItemCategory[item], subcategory % perCategory, index };
        }

        return new SemanticIdTable(rows, new[] { 8, 8, 8 });
    }
}

/// <summary>Collects progress reports synchronously (System.Progress posts them asynchronously).</summary>
internal sealed class ProgressLog : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Reports { get; } = new();

    public void Report(TrainingProgress value)
    {
        lock (Reports)
        {
            Reports.Add(value);
        }
    }
}
