using System.Diagnostics;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// <c>baselines-beauty</c>: popularity and co-occurrence on Amazon Beauty under the TIGER / LETTER protocol —
/// leave-one-out, history capped at 20, full ranking over all 12,101 items, history items NOT excluded — so that
/// every learned model on Beauty can be read against the floor a counting baseline reaches. <c>--exclude-history 1</c>
/// leaves each user's own items out of the ranking (RecBole's protocol; no Beauty test item is in its user's history).
/// </summary>
internal sealed class BaselinesBeautyBenchmark : IBenchmark
{
    private static readonly int[] Ks = [5, 10];

    public string Name => "baselines-beauty";

    public string Description =>
        "popularity and co-occurrence on Beauty, leave-one-out, history cap 20, full ranking over all items, history not excluded (TIGER protocol; --exclude-history 1: excluded)";

    public IReadOnlyCollection<string> ExtraOptions => ["exclude-history"];

    public BenchmarkResult Run(BenchmarkContext context)
    {
        context.Log($"datasets folder: {context.DataDirectory}");
        var total = Stopwatch.StartNew();
        var (beauty, _) = context.Time("load beauty/Beauty.inter.json", () => BenchmarkDatasets.LoadBeauty(context));
        var (split, _) = context.Time("leave-one-out split (history cap 20)", () => BenchmarkDatasets.BeautyLeaveOneOut(beauty));
        context.Log($"  {split}");

        // Both baselines learn from the training sequences only (all but each user's last two items). The test
        // cases' histories end with the validation item, which is what a model sees at test time in TIGER.
        int[][] train = [.. split.TrainSequences];
        EvaluationCase[] test = BenchmarkDatasets.ToEvaluationCases(split.TestCases);

        var (popularity, _) = context.Time("train PopularityRecommender", () => new PopularityRecommender(train, split.ItemCount));
        var (coOccurrence, _) = context.Time("train CoOccurrenceRecommender (window 1)", () => new CoOccurrenceRecommender(train, split.ItemCount));
        context.Log($"  {coOccurrence.TransitionPairCount:N0} distinct transitions");

        bool excludeHistory = context.IntOption("exclude-history", 0) == 1;
        MetricsTable pop = Evaluate(context, "popularity", popularity, test, excludeHistory);
        MetricsTable cooc = Evaluate(context, "co-occurrence", coOccurrence, test, excludeHistory);

        total.Stop();
        string[] metrics = [MetricNames.Recall, MetricNames.Ndcg];
        return new BenchmarkResult()
            .Metrics("pop", pop, metrics, Ks)
            .Metrics("cooc", cooc, metrics, Ks)
            .Count("test_users", pop.CaseCount)
            .Count("exclude_history", excludeHistory ? 1 : 0)
            .Seconds("seconds", total.Elapsed);
    }

    private static MetricsTable Evaluate(BenchmarkContext context, string name, IRecommender recommender, EvaluationCase[] cases, bool excludeHistory)
    {
        var (table, _) = context.Time($"evaluate {name} on {cases.Length:N0} test cases (all {recommender.ItemCount:N0} items, history {(excludeHistory ? "excluded" : "not excluded")})",
            () => RecommenderEvaluator.Evaluate(recommender, cases, Ks, excludeHistory, cancellationToken: context.CancellationToken));
        context.LogMetrics(table);

        return table;
    }
}
