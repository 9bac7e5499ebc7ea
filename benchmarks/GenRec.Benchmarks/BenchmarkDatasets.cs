using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;

namespace GenRec.Benchmarks;

/// <summary>
/// The benchmark datasets loaded the one way every benchmark should load them (the protocols of
/// <c>shared/datasets/README.md</c>), so that two benchmarks on "Beauty" always mean the same data.
/// </summary>
internal static class BenchmarkDatasets
{
    /// <summary>The TIGER / LETTER history cap: at most the last 20 items are fed to a model.</summary>
    public const int BeautyMaxHistory = 20;

    /// <summary>Amazon Beauty 5-core from <c>beauty/Beauty.inter.json</c>, each user's items in the published order.</summary>
    public static InteractionDataset LoadBeauty(BenchmarkContext context) =>
        AmazonJsonLoader.Load(context.DataFile("beauty", "Beauty.inter.json")).OrderByTime();

    /// <summary>
    /// Beauty split leave-one-out as in TIGER / LETTER: last item = test target, the one before = validation target,
    /// earlier items = training; histories capped at <see cref="BeautyMaxHistory"/>.
    /// </summary>
    public static LeaveOneOutSplit BeautyLeaveOneOut(InteractionDataset beauty) =>
        SequenceSplitter.LeaveOneOut(beauty, maxHistory: BeautyMaxHistory);

    /// <summary>Last.fm as split by the TokenRec authors (<c>lastfm/train.txt</c>, <c>lastfm/test.txt</c>).</summary>
    public static LightGcnData LoadLastFm(BenchmarkContext context) =>
        LightGcnFormatLoader.Load(context.DataFile("lastfm", "train.txt"), context.DataFile("lastfm", "test.txt"));

    /// <summary>MovieLens latest-small, each user's ratings ordered by time, then 5-core filtered (the sequential protocol).</summary>
    public static InteractionDataset LoadMovieLensFiveCore(BenchmarkContext context) =>
        KCoreFilter.Apply(MovieLensLoader.Load(context.DataFolder("ml-latest-small")).OrderByTime(), 5);

    /// <summary>
    /// MovieLens latest-small with item text "Title | Genre1, Genre2" (ratings.csv and movies.csv; no tags), each user's
    /// ratings ordered by time, then 5-core filtered: the text recipes' input (<c>presets-movielens</c>).
    /// </summary>
    public static InteractionDataset LoadMovieLensTitlesFiveCore(BenchmarkContext context) =>
        KCoreFilter.Apply(
            MovieLensLoader.Load(context.DataFile("ml-latest-small", "ratings.csv"), context.DataFile("ml-latest-small", "movies.csv")).OrderByTime(), 5);

    /// <summary>The evaluator's cases for sequence cases: capped history, one target.</summary>
    public static EvaluationCase[] ToEvaluationCases(IReadOnlyList<SequenceCase> cases) =>
        [.. cases.Select(c => new EvaluationCase(c.UserIndex, c.History, [c.Target]))];
}
