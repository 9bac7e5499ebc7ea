using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Batched k-means in torch (k-means++ seeding, Lloyd iterations), and a size-constrained variant for the diversity
/// regularizer. Randomness comes from the caller's generator, so results repeat even while other code draws from torch's
/// global generator on another thread.
/// </summary>
internal static class KMeans
{
    /// <summary>Returns <paramref name="k"/> centers [k, d] for <paramref name="points"/> [n, d] (n ≥ k).</summary>
    public static Tensor Fit(Tensor points, int k, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = points.shape[0];
        Tensor centers = PlusPlus(points, k, generator);
        Tensor? previous = null;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Tensor assignment = RqVaeMath.NearestCenter(points, centers);
            if (previous is not null && assignment.eq(previous).all().item<bool>())
            {
                break;
            }

            previous = assignment;
            Tensor sums = zeros(k, points.shape[1], device: points.device).AddRowsAt(assignment, points);
            Tensor counts = bincount(assignment, minlength: k).to(points.dtype);
            Tensor empty = counts.EqualMask(0);
            centers = where(empty.unsqueeze(1), centers, sums / counts.AtLeast(1.0).unsqueeze(1));
            long emptyCount = empty.sum().item<long>();
            if (emptyCount > 0 && emptyCount < n)
            {
                // An empty cluster is moved to the points worst served by the others, where a center helps most.
                Tensor far = RqVaeMath.NearestDistance(points, centers).topk((int)emptyCount).indexes;
                centers = centers.index_copy(0, empty.nonzero().squeeze(1), points.index_select(0, far));
            }
        }

        return centers.MoveToOuterDisposeScope();
    }

    /// <summary>k-means++ seeding: each next center is drawn with probability proportional to the squared distance to the chosen ones.</summary>
    public static Tensor PlusPlus(Tensor points, int k, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = points.shape[0];
        var chosen = new Tensor[k];
        // ‖p − c‖² = ‖p‖² − 2 p·c + ‖c‖²: one matrix-vector product per new center instead of an [n, d] difference.
        Tensor norms = points.Squared().sum(1);
        Tensor DistanceTo(Tensor index) => norms.Minus(points.matmul(points.index_select(0, index).t()).squeeze(1).Times(2.0)).Plus(norms.index_select(0, index)).AtLeast(0.0);
        chosen[0] = randint(0, n, new long[] { 1 }, dtype: ScalarType.Int64, device: points.device, generator: generator);
        Tensor nearest = DistanceTo(chosen[0]);
        RequireFiniteDistances(nearest);
        for (int i = 1; i < k; i++)
        {
            // The tiny floor keeps the draw defined when every point already coincides with a center (duplicates).
            chosen[i] = multinomial(nearest.Plus(1e-20), 1, false, generator);
            nearest = minimum(nearest, DistanceTo(chosen[i]));
        }

        return points.index_select(0, cat(chosen, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Throws a clear error when squared distances overflowed (points too large for float32): LibTorch would otherwise
    /// fail in the k-means++ draw with a message about an invalid distribution.
    /// </summary>
    internal static void RequireFiniteDistances(Tensor squaredDistances)
    {
        if (!isfinite(squaredDistances).all().item<bool>())
        {
            throw new InvalidOperationException(
                "k-means cannot place its centers: squared distances between the vectors overflow single precision. " +
                "Scale the input vectors down (e.g. L2-normalize them).");
        }
    }

    /// <summary>
    /// Size-constrained k-means: splits the rows of <paramref name="points"/> into <paramref name="clusters"/> clusters whose
    /// sizes are ⌊n/c⌋ or ⌈n/c⌉. Assignment is greedy over all (point, cluster) pairs by increasing distance, a cluster
    /// accepting a point while it is below ⌊n/c⌋, or at ⌊n/c⌋ while fewer than n mod c clusters have taken the extra one.
    /// Returns the cluster of every row.
    /// </summary>
    public static int[] FitBalanced(Tensor points, int clusters, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int n = (int)points.shape[0];
        Tensor centers = PlusPlus(points, clusters, generator);
        int[] assignment = Array.Empty<int>();
        for (int iteration = 0; iteration < Math.Max(1, iterations); iteration++)
        {
            float[] distances = RqVaeMath.SquaredDistances(points, centers).cpu().data<float>().ToArray();
            int[] next = BalancedAssign(distances, n, clusters);
            if (next.AsSpan().SequenceEqual(assignment))
            {
                break;
            }

            assignment = next;
            Tensor index = tensor(assignment.Select(a => (long)a).ToArray(), device: points.device);
            Tensor sums = zeros(clusters, points.shape[1], device: points.device).AddRowsAt(index, points);
            Tensor counts = bincount(index, minlength: clusters).to(points.dtype).AtLeast(1.0);
            centers = sums / counts.unsqueeze(1);
        }

        return assignment;
    }

    /// <summary>The greedy size-constrained assignment of <see cref="FitBalanced"/> on a row-major [n, c] distance matrix.</summary>
    internal static int[] BalancedAssign(float[] distances, int n, int clusters)
    {
        int floor = n / clusters, extra = n % clusters;
        int[] order = Enumerable.Range(0, n * clusters).ToArray();
        float[] keys = (float[])distances.Clone();
        Array.Sort(keys, order);
        var assignment = new int[n];
        Array.Fill(assignment, -1);
        var sizes = new int[clusters];
        int atCeiling = 0, assigned = 0;
        foreach (int pair in order)
        {
            int point = pair / clusters, cluster = pair % clusters;
            if (assignment[point] >= 0)
            {
                continue;
            }

            if (sizes[cluster] < floor || (sizes[cluster] == floor && atCeiling < extra))
            {
                if (sizes[cluster] == floor)
                {
                    atCeiling++;
                }

                sizes[cluster]++;
                assignment[point] = cluster;
                if (++assigned == n)
                {
                    break;
                }
            }
        }

        return assignment;
    }
}
