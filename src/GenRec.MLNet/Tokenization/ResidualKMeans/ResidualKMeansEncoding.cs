using GenRec.MLNet.Nn;
using GenRec.MLNet.Tokenization.RqVae;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>
/// The arithmetic training and encoding share, so that an item encoded after training gets exactly its training codes:
/// the input preparation (normalization, fusion) and the per-level nearest-centroid step, both in double precision and
/// in blocks of rows. Tensors are created in the caller's dispose scope.
/// </summary>
internal static class ResidualKMeansEncoding
{
    // Rows per distance block: bounds the [rows, k] matrix when a large catalog is coded at once.
    private const long BlockRows = 8192;

    /// <summary>
    /// Content (and, when fused, CF) vectors → the double-precision vectors k-means works on [count, QuantizedDimension].
    /// <paramref name="missingCollaborative"/> marks the rows whose CF vector is all zeros (or absent), which are placed
    /// by their content part alone; null when nothing is fused.
    /// </summary>
    public static Tensor Prepare(ResidualKMeansHyperparameters h, float[] content, float[]? collaborative, int count, float[] means, float[] scales, out Tensor? missingCollaborative)
    {
        Tensor x = tensor(content, new long[] { count, h.ContentDimension }).to_type(ScalarType.Float64);
        switch (h.Normalization)
        {
            case InputNormalization.L2:
                x = UnitRows(x);
                break;
            case InputNormalization.Standardize:
                x = x.Minus(tensor(means).to_type(ScalarType.Float64).unsqueeze(0)).DividedBy(tensor(scales).to_type(ScalarType.Float64).unsqueeze(0));
                break;
        }

        missingCollaborative = null;
        if (h.CollaborativeDimension == 0)
        {
            return x;
        }

        Tensor cf = collaborative is null
            ? zeros(count, h.CollaborativeDimension, ScalarType.Float64)
            : tensor(collaborative, new long[] { count, h.CollaborativeDimension }).to_type(ScalarType.Float64);
        missingCollaborative = cf.abs().sum(1).EqualMask(0);
        // Both parts unit length before weighting, so the weight alone decides how much each side moves the distances.
        return cat(new[] { UnitRows(x).Times(1 - h.CollaborativeWeight), UnitRows(cf).Times(h.CollaborativeWeight) }, 1);
    }

    /// <summary>
    /// One level: the nearest centroid of every row of <paramref name="residual"/> (int64 [n]) and what it leaves
    /// unexplained (the next level's input).
    /// </summary>
    public static (Tensor Codes, Tensor Residual) AssignLevel(Tensor residual, Tensor centroids, Tensor? missingCollaborative, int contentDimension)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < residual.shape[0]; start += BlockRows)
        {
            long length = Math.Min(BlockRows, residual.shape[0] - start);
            parts.Add(Distances(residual.narrow(0, start, length), centroids, missingCollaborative?.narrow(0, start, length), contentDimension).argmin(1));
        }

        Tensor codes = parts.Count == 1 ? parts[0] : cat(parts, 0);
        return (codes, residual.Minus(centroids.index_select(0, codes)));
    }

    /// <summary>
    /// Squared distances [rows, k] from <paramref name="rows"/> to the centroids; rows marked in
    /// <paramref name="missingCollaborative"/> are measured on the content part only (their CF part is unknown).
    /// </summary>
    public static Tensor Distances(Tensor rows, Tensor centroids, Tensor? missingCollaborative, int contentDimension)
    {
        Tensor distances = RqVaeMath.SquaredDistances(rows, centroids);
        if (missingCollaborative is null || !missingCollaborative.any().item<bool>())
        {
            return distances;
        }

        Tensor contentOnly = RqVaeMath.SquaredDistances(rows.narrow(1, 0, contentDimension), centroids.narrow(1, 0, contentDimension));
        return where(missingCollaborative.unsqueeze(1), contentOnly, distances);
    }

    /// <summary>Each row divided by its Euclidean length (a zero row stays zero).</summary>
    private static Tensor UnitRows(Tensor x) => x.DividedBy(x.Squared().sum(1, keepdim: true).sqrt().AtLeast(1e-12));
}
