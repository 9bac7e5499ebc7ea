using GenRec.MLNet.Evaluation;

namespace GenRec.Samples.MovieLens;

/// <summary>Recall and NDCG at each K for every model, printed as one table.</summary>
internal sealed class ResultTable(int[] ks)
{
    private readonly List<(string Model, double[] Recall, double[] Ndcg, int Users)> _rows = [];

    public void Add(string model, MetricsTable metrics) =>
        _rows.Add((model, [.. ks.Select(k => metrics[MetricNames.Recall, k])], [.. ks.Select(k => metrics[MetricNames.Ndcg, k])], metrics.CaseCount));

    public void Add(string model, RecommendationMetrics metrics) =>
        _rows.Add((model, [.. ks.Select(metrics.Recall)], [.. ks.Select(metrics.Ndcg)], metrics.UserCount));

    public void Print()
    {
        string header = string.Concat(ks.Select(k => $" {"Recall@" + k,9}")) + string.Concat(ks.Select(k => $" {"NDCG@" + k,9}"));
        Console.WriteLine($"  {"Model",-24}{header} {"users",6}");
        foreach (var (model, recall, ndcg, users) in _rows)
        {
            Console.WriteLine($"  {model,-24}{string.Concat(recall.Select(v => $" {v,9:F4}"))}{string.Concat(ndcg.Select(v => $" {v,9:F4}"))} {users,6}");
        }
    }
}
