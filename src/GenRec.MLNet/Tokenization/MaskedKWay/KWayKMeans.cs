using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// K-means (k-means++ seeding, Lloyd iterations) in torch for the codebook initialization. Randomness comes from
/// torch's global generator, which the trainer seeds, so the initialization repeats for a seed.
/// </summary>
internal static class KWayKMeans
{
    /// <summary>Returns <paramref name="k"/> centers [k, d] for <paramref name="points"/> [n, d] (n ≥ k).</summary>
    public static Tensor Fit(Tensor points, int k, int iterations)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = points.shape[0];
        Tensor centers = PlusPlus(points, k);
        Tensor? previous = null;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Tensor distances = SquaredDistances(points, centers);
            Tensor assignment = distances.argmin(1);
            // eq().all(): TorchSharp's Tensor.equal is element-wise, not torch.equal.
            if (previous is not null && assignment.eq(previous).all().item<bool>())
            {
                break;
            }

            previous = assignment;
            Tensor sums = zeros(k, points.shape[1], dtype: points.dtype, device: points.device).AddRowsAt(assignment, points);
            Tensor counts = bincount(assignment, minlength: k).to(points.dtype);
            Tensor empty = counts.EqualMask(0);
            centers = where(empty.unsqueeze(1), centers, sums / counts.AtLeast(1.0).unsqueeze(1));
            long emptyCount = empty.sum().item<long>();
            if (emptyCount > 0 && emptyCount < n)
            {
                // An empty cluster moves to the points worst served by the others, where a center helps most.
                Tensor far = SquaredDistances(points, centers).min(1).values.topk((int)emptyCount).indexes;
                centers = centers.index_copy(0, empty.nonzero().squeeze(1), points.index_select(0, far));
            }
        }

        return centers.MoveToOuterDisposeScope();
    }

    /// <summary>k-means++ seeding: each next center is drawn with probability proportional to the squared distance to the chosen ones.</summary>
    private static Tensor PlusPlus(Tensor points, int k)
    {
        using var scope = NewDisposeScope();
        long n = points.shape[0];
        var chosen = new Tensor[k];
        chosen[0] = randint(0, n, new long[] { 1 }, dtype: ScalarType.Int64, device: points.device);
        Tensor nearest = (points - points.index_select(0, chosen[0])).Squared().sum(1);
        RqVae.KMeans.RequireFiniteDistances(nearest);
        for (int i = 1; i < k; i++)
        {
            // The tiny floor keeps the draw defined when every point already coincides with a center (duplicates).
            chosen[i] = multinomial(nearest.Plus(1e-20), 1);
            nearest = minimum(nearest, (points - points.index_select(0, chosen[i])).Squared().sum(1));
        }

        return points.index_select(0, cat(chosen, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>Squared Euclidean distances [n, k] as one matmul (‖p‖² − 2p·c + ‖c‖², clamped at 0 against rounding).</summary>
    private static Tensor SquaredDistances(Tensor points, Tensor centers)
    {
        return RqVae.RqVaeMath.SquaredDistances(points, centers);
    }
}
