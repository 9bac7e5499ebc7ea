using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;

namespace GenRec.MLNet.Tests.Tokenization.RqVae;

/// <summary>Small seeded inputs and options so that every RQ-VAE test trains in a second or two on 2 cores.</summary>
internal static class RqVaeTestData
{
    public const int Items = 300;
    public const int Dimension = 16;

    /// <summary>Rows drawn around <paramref name="clusters"/> random centers (N(0, 1) coordinates) with Gaussian noise of <paramref name="spread"/>.</summary>
    public static float[] Clustered(int items, int dimension, int clusters, double spread, int seed, out int[] labels)
    {
        var random = new Random(seed);
        var centers = new double[clusters * dimension];
        for (int i = 0; i < centers.Length; i++)
        {
            centers[i] = Gaussian(random);
        }

        labels = new int[items];
        var data = new float[items * dimension];
        for (int item = 0; item < items; item++)
        {
            int cluster = random.Next(clusters);
            labels[item] = cluster;
            for (int d = 0; d < dimension; d++)
            {
                data[item * dimension + d] = (float)(centers[cluster * dimension + d] + spread * Gaussian(random));
            }
        }

        return data;
    }

    public static float[] Default(out int[] labels) => Clustered(Items, Dimension, 12, 0.3, 7, out labels);

    /// <summary>
    /// A small plain RQ-VAE: both LETTER regularizers are off here (they are on by default), so the tests that use these
    /// options measure the quantizer alone and the regularizer tests switch each one on explicitly.
    /// </summary>
    public static RqVaeOptions SmallOptions(int epochs = 30) => new()
    {
        CollaborativeWeight = 0,
        DiversityWeight = 0,
        EncoderLayerSizes = new[] { 32 },
        CodeDimension = 8,
        Levels = 3,
        CodebookSize = 16,
        BatchSize = 64,
        NumberOfEpochs = epochs,
        LearningRate = 3e-3,
        KMeansIterations = 10,
        Seed = 11,
        Device = TorchDeviceKind.Cpu,
        LogEveryNSteps = 10_000,
    };

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Share of codes of a level used by at least one item.</summary>
    public static double Utilization(GenRec.MLNet.Tokenization.SemanticIdTable table, int level)
    {
        var used = new HashSet<int>();
        for (int item = 0; item < table.ItemCount; item++)
        {
            used.Add(table[item][level]);
        }

        return used.Count / (double)table.CodebookSizes[level];
    }

    /// <summary>Shannon entropy (nats) of a level's code distribution over items.</summary>
    public static double Entropy(GenRec.MLNet.Tokenization.SemanticIdTable table, int level)
    {
        var counts = new Dictionary<int, int>();
        for (int item = 0; item < table.ItemCount; item++)
        {
            counts[table[item][level]] = counts.GetValueOrDefault(table[item][level]) + 1;
        }

        return -counts.Values.Sum(c => c / (double)table.ItemCount * Math.Log(c / (double)table.ItemCount));
    }

    public static bool AllUnique(GenRec.MLNet.Tokenization.SemanticIdTable table)
    {
        var seen = new HashSet<string>();
        for (int item = 0; item < table.ItemCount; item++)
        {
            if (!seen.Add(string.Join(",", table.GetCodes(item))))
            {
                return false;
            }
        }

        return true;
    }
}
