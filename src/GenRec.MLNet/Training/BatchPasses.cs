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
        int start = 0;
        while (start < batch.Length)
        {
            int end = start, widest = 1;
            while (end < batch.Length)
            {
                int width = Math.Max(widest, Math.Max(1, positions(batch[end])));
                if (end > start && (long)width * (end - start + 1) > budget)
                {
                    break;
                }

                widest = width;
                end++;
            }

            int[] part = batch[start..end];
            passes.Add((part, start == 0 && end == batch.Length ? 1.0 : countExamples(part) / total));
            start = end;
        }

        return passes;
    }
}
