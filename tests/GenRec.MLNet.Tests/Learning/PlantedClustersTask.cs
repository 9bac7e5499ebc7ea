namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// A catalog with planted structure for the tokenizer: 8 clusters of 12 items, each item's content vector drawn
/// around its cluster's centre (centres ~N(0, 5²) per coordinate, item noise ~N(0, 1), 16 dimensions, so clusters are
/// far apart relative to their spread). Users stay in one cluster: each picks a cluster (cluster c with weight
/// 1 / (c + 1), so popularity has something to find) and visits 6 distinct items of it in random order. A model that
/// knows an item's cluster knows where the next item lies; popularity only knows which cluster is most common.
/// </summary>
internal static class PlantedClustersTask
{
    public const int Clusters = 8;

    public const int ItemsPerCluster = 12;

    public const int Dimension = 16;

    public const int SequenceLength = 6;

    public const int ItemCount = Clusters * ItemsPerCluster;

    /// <summary>The cluster of an item index (items are numbered cluster by cluster).</summary>
    public static int ClusterOf(int item) => item / ItemsPerCluster;

    /// <summary>Each item's content vector, row = item index.</summary>
    public static float[][] ContentVectors(int seed)
    {
        var random = new Random(seed);
        float[][] centres = Enumerable.Range(0, Clusters).Select(_ => Gaussian(random, 5.0)).ToArray();
        return Enumerable.Range(0, ItemCount)
            .Select(item => centres[ClusterOf(item)].Zip(Gaussian(random, 1.0), (c, noise) => c + noise).ToArray())
            .ToArray();
    }

    /// <summary>Each user's item indices, oldest first.</summary>
    public static int[][] Sequences(int userCount, int seed)
    {
        var random = new Random(seed);
        double[] weights = Enumerable.Range(0, Clusters).Select(c => 1.0 / (c + 1)).ToArray();
        double total = weights.Sum();
        var sequences = new int[userCount][];
        for (int user = 0; user < userCount; user++)
        {
            double draw = random.NextDouble() * total;
            int cluster = 0;
            while (cluster < Clusters - 1 && (draw -= weights[cluster]) > 0)
            {
                cluster++;
            }

            sequences[user] = Enumerable.Range(0, ItemsPerCluster).OrderBy(_ => random.Next()).Take(SequenceLength)
                .Select(offset => cluster * ItemsPerCluster + offset)
                .ToArray();
        }

        return sequences;
    }

    public static ClusteredInteraction[] Rows(int[][] sequences, float[][] content) =>
        sequences.SelectMany((sequence, user) => sequence.Select((item, step) => new ClusteredInteraction
        {
            User = $"u{user}", Item = $"i{item}", Timestamp = step, Features = content[item],
        })).ToArray();

    /// <summary>
    /// Share of items whose code is the majority cluster of all items with that code: 1 when every code holds one
    /// cluster, about 1 / <see cref="Clusters"/> and up when codes ignore the clusters.
    /// </summary>
    public static double Purity(IReadOnlyList<int> codes, IReadOnlyList<int> clusters) =>
        codes.Zip(clusters).GroupBy(pair => pair.First)
            .Sum(group => group.GroupBy(pair => pair.Second).Max(byCluster => byCluster.Count())) / (double)codes.Count;

    private static float[] Gaussian(Random random, double scale) =>
        Enumerable.Range(0, Dimension)
            .Select(_ => (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();
}
