using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// K parallel codebooks of L codes each. Unlike residual quantization, every way quantizes its own encoder's output
/// independently (no residual is passed on), so the K codes of an ID are unordered facets rather than coarse-to-fine
/// refinements. All ways are searched with one batched distance computation.
/// </summary>
internal sealed class KWayCodebooks : nn.Module
{
    // Rows per distance block when quantizing: bounds the [ways, rows, codes] distance tensor for large catalogs.
    private const long ChunkRows = 8192;

    private readonly Parameter codebooks;

    public KWayCodebooks(int ways, int codebookSize, int dimension) : base(nameof(KWayCodebooks))
    {
        Ways = ways;
        CodebookSize = codebookSize;
        Dimension = dimension;
        // VQ-VAE's (and TokenRec's) small uniform start; overwritten by the k-means initialization when it is on.
        codebooks = nn.Parameter(empty(ways, codebookSize, dimension).uniform_(-1.0 / codebookSize, 1.0 / codebookSize));
        RegisterComponents();
    }

    public int Ways { get; }

    public int CodebookSize { get; }

    public int Dimension { get; }

    /// <summary>All codebooks [ways, codebook size, dimension] (the parameter itself).</summary>
    public Tensor Codebooks => codebooks;

    /// <summary>Index (int64 [ways, batch]) of the nearest code of each way for encodings <paramref name="encodings"/> [ways, batch, dimension].</summary>
    public Tensor Nearest(Tensor encodings)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor books = codebooks.detach();
        // ‖c‖² per code; ‖z‖² is the same for every code of a row, so it cannot change the argmin and is left out.
        Tensor codeNorms = books.Squared().sum(2).unsqueeze(1);
        long n = encodings.shape[1];
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += ChunkRows)
        {
            Tensor z = encodings.narrow(1, start, Math.Min(ChunkRows, n - start));
            // bmm, not baddbmm, which TorchSharp 0.107 mis-handles (see ParallelMlp).
            parts.Add(codeNorms.Minus(z.bmm(books.transpose(1, 2)).Times(2.0)).argmin(2));
        }

        return (parts.Count == 1 ? parts[0] : cat(parts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The code vectors [ways, batch, dimension] of <paramref name="codes"/> int64 [ways, batch] (differentiable w.r.t. the codebooks).</summary>
    public Tensor Lookup(Tensor codes)
    {
        using var scope = NewDisposeScope();
        Tensor offsets = TensorArithmetic.Range(Ways, codes.device).unsqueeze(1).Times((long)CodebookSize);
        Tensor flat = codes.Plus(offsets).reshape(-1);
        Tensor vectors = codebooks.reshape(Ways * CodebookSize, Dimension).index_select(0, flat);
        return vectors.reshape(Ways, codes.shape[1], Dimension).MoveToOuterDisposeScope();
    }

    /// <summary>Overwrites the codebook of <paramref name="way"/> (no gradient is recorded).</summary>
    public void SetCodebook(int way, Tensor values)
    {
        using var noGrad = no_grad();
        codebooks[way].copy_(values);
    }

    /// <summary>Overwrites the codes at flat indexes way × L + code with <paramref name="values"/> [n, dimension].</summary>
    public void ReplaceCodes(Tensor flatIndexes, Tensor values)
    {
        using var noGrad = no_grad();
        codebooks.view(Ways * CodebookSize, Dimension).index_copy_(0, flatIndexes, values);
    }
}
