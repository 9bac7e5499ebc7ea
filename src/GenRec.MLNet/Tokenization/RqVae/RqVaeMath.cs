using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>Batched distance helpers shared by the quantizer, k-means and collision handling.</summary>
internal static class RqVaeMath
{
    // Rows per distance block: bounds the [rows, centers] matrix so encoding a large catalog never allocates N × K at once.
    private const long ChunkRows = 16384;

    /// <summary>Squared Euclidean distances [n, k] between rows of <paramref name="points"/> [n, d] and <paramref name="centers"/> [k, d].</summary>
    public static Tensor SquaredDistances(Tensor points, Tensor centers)
    {
        using var scope = NewDisposeScope();
        // ‖p‖² − 2 p·c + ‖c‖² is one matmul; clamp because rounding can make it slightly negative.
        // Scalar operands go through TensorArithmetic, which keeps each native Scalar alive through its LibTorch call.
        Tensor distances = points.Squared().sum(1, keepdim: true).Minus(points.matmul(centers.t()).Times(2.0)).Plus(centers.Squared().sum(1).unsqueeze(0));
        return distances.AtLeast(0.0).MoveToOuterDisposeScope();
    }

    /// <summary>Index (int64 [n]) of the nearest center for every row of <paramref name="points"/>, computed in row blocks.</summary>
    public static Tensor NearestCenter(Tensor points, Tensor centers)
    {
        using var scope = NewDisposeScope();
        long n = points.shape[0];
        if (n <= ChunkRows)
        {
            return SquaredDistances(points, centers).argmin(1).MoveToOuterDisposeScope();
        }

        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += ChunkRows)
        {
            long length = Math.Min(ChunkRows, n - start);
            parts.Add(SquaredDistances(points.narrow(0, start, length), centers).argmin(1));
        }

        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Distance from every row to its nearest center (float [n]), computed in row blocks.</summary>
    public static Tensor NearestDistance(Tensor points, Tensor centers)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < points.shape[0]; start += ChunkRows)
        {
            long length = Math.Min(ChunkRows, points.shape[0] - start);
            parts.Add(SquaredDistances(points.narrow(0, start, length), centers).min(1).values);
        }

        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
