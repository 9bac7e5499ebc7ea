using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// LETTER's diversity regularizer. Once per epoch every level's codebook is split into balanced clusters; in training,
/// each item's chosen code is pulled toward a random other code of its cluster and pushed from all other codes of the
/// level (cross-entropy over similarities, own code masked). Clustered codes spread the codebook over the data, which
/// evens out how often codes are chosen.
/// </summary>
internal sealed class DiversityClusters : IDisposable
{
    private readonly int _levels;
    private readonly int _codebookSize;
    private readonly int _clusters;
    private readonly int _maxClusterSize;
    private readonly Generator _generator;
    private readonly Tensor _clusterOf;   // [levels, K]: cluster of each code
    private readonly Tensor _position;    // [levels, K]: index of each code inside its cluster's member list
    private readonly Tensor _sizes;       // [levels, clusters]
    private readonly Tensor _members;     // [levels, clusters, max size]: codes of each cluster, padded with 0

    private DiversityClusters(int levels, int codebookSize, int clusters, int[][] assignments, Generator generator, Device device)
    {
        _generator = generator;
        _levels = levels;
        _codebookSize = codebookSize;
        _clusters = clusters;
        _maxClusterSize = (codebookSize + clusters - 1) / clusters;
        var clusterOf = new long[levels * codebookSize];
        var position = new long[levels * codebookSize];
        var sizes = new long[levels * clusters];
        var members = new long[levels * clusters * _maxClusterSize];
        for (int level = 0; level < levels; level++)
        {
            for (int code = 0; code < codebookSize; code++)
            {
                int cluster = assignments[level][code];
                int slot = level * clusters + cluster;
                clusterOf[level * codebookSize + code] = cluster;
                position[level * codebookSize + code] = sizes[slot];
                members[slot * _maxClusterSize + sizes[slot]] = code;
                sizes[slot]++;
            }
        }

        _clusterOf = tensor(clusterOf, device: device).view(levels, codebookSize).DetachFromDisposeScope();
        _position = tensor(position, device: device).view(levels, codebookSize).DetachFromDisposeScope();
        _sizes = tensor(sizes, device: device).view(levels, clusters).DetachFromDisposeScope();
        _members = tensor(members, device: device).DetachFromDisposeScope();
    }

    /// <summary>Clusters every level of <paramref name="codebooks"/> [levels, K, d] by balanced k-means.</summary>
    public static DiversityClusters Build(Tensor codebooks, int clusters, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int levels = (int)codebooks.shape[0], size = (int)codebooks.shape[1];
        var assignments = new int[levels][];
        for (int level = 0; level < levels; level++)
        {
            assignments[level] = KMeans.FitBalanced(codebooks[level].detach(), clusters, iterations, generator);
        }

        return new DiversityClusters(levels, size, clusters, assignments, generator, codebooks.device);
    }

    /// <summary>Cluster of every code of <paramref name="level"/>.</summary>
    public int[] ClustersOf(int level) => _clusterOf[level].cpu().data<long>().Select(c => (int)c).ToArray();

    /// <summary>The regularizer for a batch whose chosen codes are <paramref name="codes"/> (int64 [batch, levels]), averaged over levels and items.</summary>
    public Tensor Loss(Tensor codebooks, Tensor codes)
    {
        using var scope = NewDisposeScope();
        long batch = codes.shape[0], dimension = codebooks.shape[2];
        Tensor own = codes.t().contiguous(); // [levels, batch]
        Tensor offsets = TensorArithmetic.Range(_levels, codes.device).Times((long)_codebookSize).unsqueeze(1);
        Tensor query = codebooks.reshape(_levels * _codebookSize, dimension).index_select(0, own.Plus(offsets).view(-1)).view(_levels, batch, dimension);
        Tensor logits = bmm(query, codebooks.transpose(1, 2)); // [levels, batch, K]
        Tensor self = nn.functional.one_hot(own, _codebookSize).to(ScalarType.Bool);
        logits = logits.FillWhere(self, double.NegativeInfinity);
        Tensor positives = SamplePositives(own);
        return nn.functional.cross_entropy(logits.view(_levels * batch, _codebookSize), positives).MoveToOuterDisposeScope();
    }

    /// <summary>For every (level, item), a random code of the same cluster as its own code but not equal to it, flattened [levels × batch].</summary>
    internal Tensor SamplePositives(Tensor own)
    {
        using var scope = NewDisposeScope();
        long batch = own.shape[1];
        Tensor cluster = _clusterOf.gather(1, own);
        Tensor position = _position.gather(1, own);
        Tensor size = _sizes.gather(1, cluster);
        // Draw among the size − 1 other members and skip over the own slot.
        Tensor draw = minimum((rand(_levels, batch, device: own.device, generator: _generator) * size.Minus(1L)).floor().to(ScalarType.Int64), size.Minus(2L));
        Tensor slot = draw.Plus(draw.ge(position).to(ScalarType.Int64));
        Tensor row = TensorArithmetic.Range(_levels, own.device).unsqueeze(1).Times((long)_clusters).Plus(cluster);
        return _members.index_select(0, row.Times((long)_maxClusterSize).Plus(slot).view(-1)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _clusterOf.Dispose();
        _position.Dispose();
        _sizes.Dispose();
        _members.Dispose();
    }
}
