namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// The known-answer task for a set model (TokenRec-style retrieval reads the history as an unordered set, so the
/// ring of <see cref="NextItemTask"/> is ambiguous for it: the set {s, …, s+4} cannot tell s + 5 from s − 1). Items
/// come in blocks of <see cref="BlockSize"/>; every user holds one whole block, and one random item of it is held out.
/// The history then pins the answer down: the only item of the user's block not in the history.
/// </summary>
/// <remarks>
/// Ideal codes are (block, position in block). Ideal CF embeddings put a block's items near its own random direction
/// (centroid + small noise), as a collaborative model would for items bought together. A random ranking of the 56
/// items outside the history puts the held-out item first for 1 user in 56.
/// </remarks>
internal static class ItemBlocksTask
{
    public const int Blocks = 12;

    public const int BlockSize = 5;

    public const int EmbeddingDimension = 16;

    public const int ItemCount = Blocks * BlockSize;

    public static BlockInteraction[] Rows(int userCount, int seed)
    {
        var random = new Random(seed);
        float[][] embeddings = Embeddings(random);
        var rows = new List<BlockInteraction>(userCount * BlockSize);
        for (int user = 0; user < userCount; user++)
        {
            int block = random.Next(Blocks);
            int[] order = Enumerable.Range(0, BlockSize).OrderBy(_ => random.Next()).ToArray();
            for (int step = 0; step < BlockSize; step++)
            {
                int item = block * BlockSize + order[step];
                rows.Add(new BlockInteraction
                {
                    User = $"u{user}", Item = $"i{item}", Timestamp = step,
                    Codes = [(uint)block, (uint)order[step]], Embedding = embeddings[item],
                });
            }
        }

        return [.. rows];
    }

    private static float[][] Embeddings(Random random)
    {
        float[][] centroids = Enumerable.Range(0, Blocks).Select(_ => Gaussian(random, 1.0)).ToArray();
        return Enumerable.Range(0, ItemCount)
            .Select(item => centroids[item / BlockSize].Zip(Gaussian(random, 0.3), (c, noise) => c + noise).ToArray())
            .ToArray();
    }

    private static float[] Gaussian(Random random, double scale) =>
        Enumerable.Range(0, EmbeddingDimension)
            .Select(_ => (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();
}
