using System.Diagnostics;
using GenRec.MLNet.Data;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>data-stats</c>: loads every shared dataset through the library's loaders and reports users, items and
/// interactions as measured (never hard-coded), plus the total time. The figures must match
/// <c>shared/datasets/README.md</c>; a mismatch means a loader or a file changed.
/// </summary>
internal sealed class DataStatsBenchmark : IBenchmark
{
    public string Name => "data-stats";

    public string Description =>
        "users/items/interactions of Beauty (inter.json), Last.fm (TokenRec split, train+test pairs) and ml-latest-small (time-ordered 5-core); load time";

    public BenchmarkResult Run(BenchmarkContext context)
    {
        context.Log($"datasets folder: {context.DataDirectory}");
        var total = Stopwatch.StartNew();

        var (beauty, _) = context.Time("Beauty: AmazonJsonLoader (beauty/Beauty.inter.json)", () => BenchmarkDatasets.LoadBeauty(context));
        context.Log($"  Beauty: {beauty}");

        var (lastFm, _) = context.Time("Last.fm: LightGcnFormatLoader (lastfm/train.txt + test.txt)", () => BenchmarkDatasets.LoadLastFm(context));
        // The published "interactions" figure of a LightGCN-format split counts the distinct (user, item) pairs of
        // train and test together (for Last.fm: 51,461 training pairs + 1,090 held-out items).
        context.Log($"  Last.fm: {lastFm.UserCount:N0} users, {lastFm.ItemCount:N0} items, {lastFm.Train.InteractionCount:N0} training + " +
                    $"{lastFm.TestItems.Sum(t => t.Length):N0} test = {lastFm.CombinedInteractionCount:N0} interactions");

        var (movies, _) = context.Time("MovieLens: MovieLensLoader (ml-latest-small)", () => MovieLensLoader.Load(context.DataFolder("ml-latest-small")));
        context.Log($"  ml-latest-small, all ratings: {movies}");
        var (moviesCore, _) = context.Time("MovieLens: OrderByTime + KCoreFilter k=5", () => KCoreFilter.Apply(movies.OrderByTime(), 5));
        context.Log($"  ml-latest-small, 5-core: {moviesCore}");

        total.Stop();
        return new BenchmarkResult()
            .Count("beauty_users", beauty.UserCount)
            .Count("beauty_items", beauty.ItemCount)
            .Count("beauty_interactions", beauty.InteractionCount)
            .Count("lastfm_users", lastFm.UserCount)
            .Count("lastfm_items", lastFm.ItemCount)
            .Count("lastfm_interactions", lastFm.CombinedInteractionCount)
            .Count("movielens_users", moviesCore.UserCount)
            .Count("movielens_items", moviesCore.ItemCount)
            .Count("movielens_interactions", moviesCore.InteractionCount)
            .Seconds("seconds", total.Elapsed);
    }
}
