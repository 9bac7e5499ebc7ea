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

    /// <summary>
    /// MovieLens latest-small, 5-core, as a set split in the Last.fm format: each user's last rating (by time) is the
    /// test item, the earlier ones the training set (leave-one-out, the protocol the MovieLens figures use elsewhere).
    /// </summary>
    public static LightGcnData LoadMovieLensLeaveOneOutSets(BenchmarkContext context)
    {
        InteractionDataset movieLens = LoadMovieLensFiveCore(context);
        int[][] sequences = movieLens.SequencesByUser();
        var users = new List<int>();
        var items = new List<int>();
        var test = new int[movieLens.UserCount][];
        for (int user = 0; user < sequences.Length; user++)
        {
            int[] sequence = sequences[user];
            int last = sequence.Length - 1;
            for (int i = 0; i < last; i++)
            {
                users.Add(user);
                items.Add(sequence[i]);
            }

            test[user] = last >= 0 && Array.IndexOf(sequence, sequence[last], 0, last) < 0 ? [sequence[last]] : [];
        }

        return new LightGcnData(new InteractionDataset(movieLens.UserIds, movieLens.ItemIds, [.. users], [.. items]), test);
    }

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
