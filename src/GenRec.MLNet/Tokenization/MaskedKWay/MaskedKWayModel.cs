using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// A trained masked K-way tokenizer (TokenRec's MQ-Tokenizer). Every vector gets K codes, one per parallel way, each in
/// 0..L−1; the ways are independent facets, not the coarse-to-fine levels of an RQ-VAE, so no code depends on another
/// and no collision handling is applied (TokenRec ranks by embedding similarity, so shared IDs are allowed).
/// <para>
/// The same model type serves items and users: train it on CF item embeddings to get item IDs, or on CF user
/// embeddings (e.g. <see cref="Collaborative.CollaborativeEmbeddingModel.UserEmbeddings"/>) to get user IDs, and call
/// <see cref="Encode"/> for new items or users whose embeddings come from the same CF model. Encoding never masks, so
/// it is deterministic.
/// </para>
/// <para>Rebuild a model with <see cref="SaveWeights"/>, <see cref="Hyperparameters"/> and <see cref="Load"/>.</para>
/// </summary>
public sealed class MaskedKWayModel : IDisposable, ISemanticIdEncoder
{
    // Rows per encoding chunk: bounds the per-chunk activations and [ways, rows, L] distances for large catalogs.
    private const int ChunkRows = 8192;

    private readonly MaskedKWayNetwork _network;
    private readonly Device _device;
    private readonly SemanticIdTable? _codes;
    private double[]? _wayUtilization;

    internal MaskedKWayModel(MaskedKWayNetwork network, Device device, SemanticIdTable? codes, double? trainingReconstructionError)
    {
        _network = network;
        _device = device;
        _codes = codes;
        TrainingReconstructionError = trainingReconstructionError;
        _network.eval();
    }

    /// <summary>The architecture; together with <see cref="SaveWeights"/> it rebuilds this model.</summary>
    public MaskedKWayHyperparameters Hyperparameters => _network.Hyperparameters;

    /// <summary>Number of ways K (codes per ID).</summary>
    public int Ways => Hyperparameters.Ways;

    /// <summary>Codes per way L.</summary>
    public int CodebookSize => Hyperparameters.CodebookSize;

    /// <summary>Length of an input vector.</summary>
    public int InputDimension => Hyperparameters.InputDimension;

    /// <summary>Length of a quantized vector (<see cref="QuantizedVectors"/>): the code dimension.</summary>
    public int QuantizedDimension => Hyperparameters.CodeDimension;

    /// <summary>Whether <see cref="Codes"/> is available (always after training; after <see cref="Load"/> only when codes were passed).</summary>
    public bool HasCodes => _codes is not null;

    /// <summary>
    /// The IDs of the training vectors (row i → ID of vector i): <see cref="Ways"/> levels of <see cref="CodebookSize"/>
    /// codes each. The levels are parallel ways, not residual levels. Throws when the model was loaded without codes.
    /// </summary>
    public SemanticIdTable Codes => _codes ?? throw new InvalidOperationException(
        "This model was loaded without its training codes; pass them to MaskedKWayModel.Load, or call Encode on the training vectors.");

    /// <summary>Mean squared reconstruction error per feature of the training vectors, decoded from their codes; null after <see cref="Load"/>.</summary>
    public double? TrainingReconstructionError { get; }

    /// <summary>Fraction of each way's L codes used by at least one training vector (1.0 = no dead codes).</summary>
    public IReadOnlyList<double> WayUtilization => _wayUtilization ??= ComputeWayUtilization(Codes);

    /// <summary>Fraction of training vectors whose K-code ID no other training vector has.</summary>
    public double UniqueIdRate => ComputeUniqueIdRate(Codes);

    /// <summary>Encodes new vectors (row-major [count × <see cref="InputDimension"/>]) to their IDs, without masking.</summary>
    /// <exception cref="ArgumentException">Empty input, a dimension mismatch, or a NaN/infinite value (the row is named).</exception>
    public SemanticIdTable Encode(float[] vectors, int count)
    {
        KWayInput.Check(vectors, count, InputDimension, nameof(vectors));
        return EncodeRows(_network, vectors, count, _device);
    }

    /// <summary>
    /// For every ID of <paramref name="codes"/>, the mean of its K code vectors — the decoder's input, so it is the
    /// vector the ID stands for — row-major [IDs × <see cref="QuantizedDimension"/>].
    /// </summary>
    /// <exception cref="ArgumentException">The table's shape differs from this model's, or a code is outside its way.</exception>
    public float[] QuantizedVectors(SemanticIdTable codes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _network.Codebooks.Lookup(CodeIndex(codes)).mean(new long[] { 0 }).cpu().data<float>().ToArray();
    }

    /// <summary>
    /// For every ID of <paramref name="codes"/>, the decoder's reconstruction of the input vector it stands for,
    /// row-major [IDs × <see cref="InputDimension"/>]: what a model that sees only the ID can know of the original vector.
    /// </summary>
    /// <exception cref="ArgumentException">The table's shape differs from this model's, or a code is outside its way.</exception>
    internal float[] Reconstruct(SemanticIdTable codes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _network.Decode(_network.Codebooks.Lookup(CodeIndex(codes))).cpu().data<float>().ToArray();
    }

    /// <summary>The codes as an int64 tensor [ways, IDs] on the model's device, the layout KWayCodebooks.Lookup takes.</summary>
    private Tensor CodeIndex(SemanticIdTable codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Levels != Ways)
        {
            throw new ArgumentException($"The table has {codes.Levels} levels; this tokenizer has {Ways} ways.", nameof(codes));
        }

        var flat = new long[Ways * codes.ItemCount];
        for (int item = 0; item < codes.ItemCount; item++)
        {
            ReadOnlySpan<int> row = codes[item];
            for (int way = 0; way < Ways; way++)
            {
                if ((uint)row[way] >= (uint)CodebookSize)
                {
                    throw new ArgumentException($"ID {item} has code {row[way]} in way {way}, outside 0..{CodebookSize - 1}.", nameof(codes));
                }

                flat[way * codes.ItemCount + item] = row[way];
            }
        }

        return tensor(flat, new long[] { Ways, codes.ItemCount }, device: _device);
    }

    /// <summary>Mean squared error per feature between <paramref name="vectors"/> and their reconstruction from their codes.</summary>
    /// <exception cref="ArgumentException">Empty input, a dimension mismatch, or a NaN/infinite value (the row is named).</exception>
    public double ReconstructionError(float[] vectors, int count)
    {
        KWayInput.Check(vectors, count, InputDimension, nameof(vectors));
        return ComputeReconstructionError(_network, vectors, count, _device);
    }

    /// <summary>The network's weights (TorchSharp's module format); rebuild with <see cref="Load"/> and <see cref="Hyperparameters"/>.</summary>
    public byte[] SaveWeights()
    {
        using var stream = new MemoryStream();
        _network.save(stream);
        return stream.ToArray();
    }

    /// <summary>Rebuilds a model from <see cref="SaveWeights"/> output and the hyperparameters it was trained with.</summary>
    /// <param name="weights">Bytes from <see cref="SaveWeights"/>.</param>
    /// <param name="hyperparameters">The trained model's <see cref="Hyperparameters"/>.</param>
    /// <param name="codes">The training IDs to expose as <see cref="Codes"/>, or null when only <see cref="Encode"/> is needed.</param>
    /// <param name="device">Device to encode on; null = CPU.</param>
    public static MaskedKWayModel Load(byte[] weights, MaskedKWayHyperparameters hyperparameters, SemanticIdTable? codes = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (weights.Length == 0)
        {
            throw new ArgumentException("The weights are empty.", nameof(weights));
        }

        hyperparameters.Validate();
        if (codes is not null && (codes.Levels != hyperparameters.Ways || codes.CodebookSizes.Any(size => size != hyperparameters.CodebookSize)))
        {
            throw new ArgumentException(
                $"The codes have {codes.Levels} levels of sizes [{string.Join(", ", codes.CodebookSizes)}] but the model has {hyperparameters.Ways} ways of {hyperparameters.CodebookSize} codes.",
                nameof(codes));
        }

        Device target = device ?? CPU;
        var network = new MaskedKWayNetwork(hyperparameters);
        try
        {
            using (var stream = new MemoryStream(weights, writable: false))
            {
                network.load(stream);
            }

            network.to(target);
            return new MaskedKWayModel(network, target, codes, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            network.Dispose();
            throw new ArgumentException("The weights could not be loaded into a network with these hyperparameters; were they saved by a model with the same hyperparameters?", nameof(weights), ex);
        }
    }

    /// <summary>Fraction of each level's codes that at least one row of <paramref name="table"/> uses.</summary>
    public static double[] ComputeWayUtilization(SemanticIdTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var used = table.CodebookSizes.Select(size => new bool[size]).ToArray();
        ReadOnlySpan<int> all = table.AllCodes;
        for (int i = 0; i < all.Length; i++)
        {
            used[i % table.Levels][all[i]] = true;
        }

        return used.Select(flags => flags.Count(f => f) / (double)flags.Length).ToArray();
    }

    /// <summary>Fraction of rows of <paramref name="table"/> whose full ID no other row shares (1.0 = collision-free).</summary>
    public static double ComputeUniqueIdRate(SemanticIdTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.ItemCount == 0)
        {
            return 1.0;
        }

        var counts = new Dictionary<string, int>();
        for (int item = 0; item < table.ItemCount; item++)
        {
            string key = string.Join(',', table.GetCodes(item));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts.Values.Where(c => c == 1).Count() / (double)table.ItemCount;
    }

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();

    /// <summary>IDs of <paramref name="count"/> checked rows (no masking, no gradient), encoded in row chunks.</summary>
    internal static SemanticIdTable EncodeRows(MaskedKWayNetwork network, float[] vectors, int count, Device device)
    {
        int dimension = network.Hyperparameters.InputDimension;
        int ways = network.Hyperparameters.Ways;
        var rows = new int[count][];
        using (var noGrad = no_grad())
        {
            for (int start = 0; start < count; start += ChunkRows)
            {
                using var scope = NewDisposeScope();
                int length = Math.Min(ChunkRows, count - start);
                Tensor input = tensor(vectors.AsSpan(start * dimension, length * dimension).ToArray(), new long[] { length, dimension }, device: device);
                Tensor codes = network.Codebooks.Nearest(network.EncodeWays(input));
                long[] flat = codes.t().contiguous().cpu().data<long>().ToArray();
                for (int i = 0; i < length; i++)
                {
                    var row = new int[ways];
                    for (int way = 0; way < ways; way++)
                    {
                        row[way] = (int)flat[i * ways + way];
                    }

                    rows[start + i] = row;
                }
            }
        }

        return new SemanticIdTable(rows, Enumerable.Repeat(network.Hyperparameters.CodebookSize, ways).ToArray());
    }

    /// <summary>Reconstruction MSE per feature of <paramref name="count"/> rows, decoded from their codes (no masking, no gradient).</summary>
    internal static double ComputeReconstructionError(MaskedKWayNetwork network, float[] vectors, int count, Device device)
    {
        int dimension = network.Hyperparameters.InputDimension;
        double squaredSum = 0;
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += ChunkRows)
        {
            using var scope = NewDisposeScope();
            int length = Math.Min(ChunkRows, count - start);
            Tensor input = tensor(vectors.AsSpan(start * dimension, length * dimension).ToArray(), new long[] { length, dimension }, device: device);
            Tensor codes = network.Codebooks.Nearest(network.EncodeWays(input));
            Tensor reconstruction = network.Decode(network.Codebooks.Lookup(codes));
            squaredSum += (reconstruction - input).Squared().sum().to(ScalarType.Float64).item<double>();
        }

        return squaredSum / ((double)count * dimension);
    }
}
