using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative.Models;

/// <summary>
/// User and item embeddings smoothed over the normalized user-item graph, as in LightGCN (He et al., 2020):
/// E⁽ᵏ⁺¹⁾ = D^-½ A D^-½ E⁽ᵏ⁾, final = mean of E⁽⁰⁾..E⁽ᴷ⁾. With zero layers this is exactly matrix
/// factorization, so MF-BPR and LightGCN share one network and one training path.
/// </summary>
internal sealed class GraphEmbeddingNetwork : nn.Module
{
    private readonly Parameter user_embedding;
    private readonly Parameter item_embedding;
    private readonly int _layers;
    private Tensor? _adjacency;

    public GraphEmbeddingNetwork(int userCount, int itemCount, int dimension, int layers) : base(nameof(GraphEmbeddingNetwork))
    {
        using Tensor userNoise = randn(userCount, dimension);
        using Tensor itemNoise = randn(itemCount, dimension);
        user_embedding = nn.Parameter(userNoise.Times(0.1));
        item_embedding = nn.Parameter(itemNoise.Times(0.1));
        _layers = layers;
        UserCount = userCount;
        RegisterComponents();
    }

    public int UserCount { get; }

    public Tensor UserEgo => user_embedding;

    public Tensor ItemEgo => item_embedding;

    /// <summary>Builds the symmetric normalized adjacency from training (user, item) pairs; needed when layers &gt; 0.</summary>
    public void SetGraph(int[] users, int[] items, Device device)
    {
        _adjacency?.Dispose();
        _adjacency = null;
        if (_layers == 0)
        {
            return;
        }

        int nodes = UserCount + (int)item_embedding.shape[0];
        var degree = new double[nodes];
        var seen = new HashSet<long>();
        var rows = new List<long>(users.Length * 2);
        var cols = new List<long>(users.Length * 2);
        for (int i = 0; i < users.Length; i++)
        {
            if (!seen.Add((long)users[i] * int.MaxValue + items[i]))
            {
                continue; // repeated interactions count once in the graph
            }

            long u = users[i], v = UserCount + items[i];
            rows.Add(u); cols.Add(v);
            rows.Add(v); cols.Add(u);
            degree[u]++;
            degree[v]++;
        }

        var values = new float[rows.Count];
        for (int e = 0; e < values.Length; e++)
        {
            values[e] = (float)(1.0 / Math.Sqrt(degree[rows[e]] * degree[cols[e]]));
        }

        using var indices = stack(new[] { tensor(rows.ToArray()), tensor(cols.ToArray()) });
        using var weights = tensor(values);
        _adjacency = sparse_coo_tensor(indices, weights, new long[] { nodes, nodes }).to(device);
    }

    /// <summary>Final (propagated) user and item embeddings.</summary>
    public (Tensor Users, Tensor Items) Propagate()
    {
        if (_layers == 0)
        {
            return (user_embedding.alias(), item_embedding.alias());
        }

        if (_adjacency is null)
        {
            throw new InvalidOperationException("SetGraph must be called before propagating a LightGCN network.");
        }

        using var scope = NewDisposeScope();
        Tensor layer = cat(new Tensor[] { user_embedding, item_embedding }, 0);
        Tensor sum = layer;
        for (int k = 0; k < _layers; k++)
        {
            layer = _adjacency.matmul(layer);
            sum = sum.Plus(layer);
        }

        Tensor mean = sum.DividedBy(_layers + 1.0);
        Tensor users = mean.narrow(0, 0, UserCount).MoveToOuterDisposeScope();
        Tensor items = mean.narrow(0, UserCount, mean.shape[0] - UserCount).MoveToOuterDisposeScope();
        return (users, items);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _adjacency?.Dispose();
        }

        base.Dispose(disposing);
    }
}
