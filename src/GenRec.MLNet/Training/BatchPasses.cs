namespace GenRec.MLNet.Training;

/// <summary>
/// Cuts a batch into the passes of <see cref="ITrainableModel{TBatch}.SplitIntoPasses"/>: consecutive pieces of at most a
/// budget of padded positions (the piece's longest example × its examples), because a pass past a few thousand positions
/// leaves the processor's caches (docs/benchmarks.md, train-batching). Batches are length-sorted, so consecutive pieces pad little.
/// </summary>
internal static class BatchPasses
{
    /// <summary>
    /// The passes of <paramref name="batch"/>, each with its share of the batch's loss: its predicted items over the
    /// batch's (<paramref name="countExamples"/>), as a loss averaged over predicted items weighs them. An example longer
    /// than the budget is a pass of its own; a batch within the budget is one pass with share 1.
    /// </summary>
    public static IReadOnlyList<(int[] Part, double Share)> Split(int[] batch, Func<int, int> positions, long budget, Func<int[], int> countExamples)
    {
        var passes = new List<(int[] Part, double Share)>();
        double total = countExamples(batch);
        for (int start = 0, end; start < batch.Length; start = end)
        {
            end = End(start, batch.Length, i => positions(batch[i]), budget);
            int[] part = batch[start..end];
            passes.Add((part, start == 0 && end == batch.Length ? 1.0 : countExamples(part) / total));
        }

        return passes;
    }

    /// <summary>
    /// Where the piece that starts at <paramref name="start"/> ends (exclusive, at most <paramref name="limit"/>): as many
    /// consecutive entries as keep the piece's widest <paramref name="width"/> × its entries within <paramref name="budget"/>,
    /// and at least one. Shared by training passes and by the decoder's passes.
    /// </summary>
    public static int End(int start, int limit, Func<int, int> width, long budget)
    {
        int end = start, widest = 1;
        while (end < limit)
        {
            int candidate = Math.Max(widest, Math.Max(1, width(end)));
            if (end > start && (long)candidate * (end - start + 1) > budget)
            {
                break;
            }

            widest = candidate;
            end++;
        }

        return end;
    }
}
