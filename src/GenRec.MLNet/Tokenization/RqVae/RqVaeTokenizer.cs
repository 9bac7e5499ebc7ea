using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// A trained RQ-VAE network: turns content vectors into semantic IDs without retraining, exposes its codebooks, and
/// round-trips through a weight blob (<see cref="SaveWeights"/> / <see cref="Load"/>) plus its
/// <see cref="RqVaeHyperparameters"/>.
/// </summary>
public sealed class RqVaeTokenizer : IDisposable, ISemanticIdEncoder
{
    // Rows per inference block: bounds memory when encoding a large catalog.
    private const long InferenceRows = 8192;
    private readonly RqVaeNetwork _network;
    private readonly Device _device;

    internal RqVaeTokenizer(RqVaeNetwork network, Device device)
    {
        _network = network;
        _device = device;
        _network.eval();
    }

    /// <summary>The architecture needed to rebuild this network before loading its weights.</summary>
    public RqVaeHyperparameters Hyperparameters => _network.Hyperparameters;

    int ISemanticIdEncoder.InputDimension => Hyperparameters.InputDimension;

    int ISemanticIdEncoder.QuantizedDimension => Hyperparameters.CodeDimension;

    internal RqVaeNetwork Network => _network;

    /// <summary>
    /// Semantic IDs (<see cref="RqVaeHyperparameters.Levels"/> codes per item) for <paramref name="count"/> content
    /// vectors, row-major. These are the quantizer's nearest codes: collision handling is a catalog-level step done
    /// once after training and is NOT applied here, so a new item may receive an ID an existing item already has.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length or a non-finite value (the message names the row).</exception>
    public SemanticIdTable Encode(float[] vectors, int count)
    {
        RqVaeInputValidation.RequireFiniteMatrix(vectors, count, Hyperparameters.InputDimension, nameof(vectors), "content vector");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor content = tensor(vectors, new long[] { count, Hyperparameters.InputDimension }, device: _device);
        return ToTable(EncodeCodes(content), count);
    }

    /// <summary>The codebook of <paramref name="level"/>, row-major [CodebookSize × CodeDimension].</summary>
    public float[] GetCodebook(int level)
    {
        if ((uint)level >= (uint)Hyperparameters.Levels)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Level must be in 0..{Hyperparameters.Levels - 1}.");
        }

        using var noGrad = no_grad();
        return _network.Quantizer.Codebooks[level].cpu().data<float>().ToArray();
    }

    /// <summary>
    /// For every item of <paramref name="codes"/>, the sum of its code vectors over the RQ-VAE's levels (a level appended
    /// by collision handling has no vector and is ignored), row-major [items × CodeDimension].
    /// </summary>
    public float[] QuantizedVectors(SemanticIdTable codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        int levels = Hyperparameters.Levels;
        if (codes.Levels < levels)
        {
            throw new ArgumentException($"The table has {codes.Levels} levels; this tokenizer needs {levels}.", nameof(codes));
        }

        var flat = new long[codes.ItemCount * levels];
        for (int item = 0; item < codes.ItemCount; item++)
        {
            ReadOnlySpan<int> row = codes[item];
            for (int level = 0; level < levels; level++)
            {
                if ((uint)row[level] >= (uint)Hyperparameters.CodebookSize)
                {
                    throw new ArgumentException($"Item {item} has code {row[level]} at level {level}, outside this codebook.", nameof(codes));
                }

                flat[item * levels + level] = row[level];
            }
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor index = tensor(flat, new long[] { codes.ItemCount, levels }, device: _device);
        return _network.Quantizer.Lookup(index).cpu().data<float>().ToArray();
    }

    /// <summary>The network's weights (TorchSharp's format), to be restored with <see cref="Load"/> and the same hyperparameters.</summary>
    public byte[] SaveWeights()
    {
        using var stream = new MemoryStream();
        _network.save(stream);
        return stream.ToArray();
    }

    /// <summary>Rebuilds the network described by <paramref name="hyperparameters"/> and loads <paramref name="weights"/> into it.</summary>
    /// <param name="weights">Bytes from <see cref="SaveWeights"/>.</param>
    /// <param name="hyperparameters">The architecture the weights were saved from.</param>
    /// <param name="device">Where to run inference (default CPU).</param>
    /// <exception cref="ArgumentException">The weights are empty or do not fit the hyperparameters.</exception>
    public static RqVaeTokenizer Load(byte[] weights, RqVaeHyperparameters hyperparameters, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (weights.Length == 0)
        {
            throw new ArgumentException("The weight blob is empty.", nameof(weights));
        }

        hyperparameters.Validate();
        var network = new RqVaeNetwork(hyperparameters);
        try
        {
            using (var stream = new MemoryStream(weights, writable: false))
            {
                network.load(stream);
            }

            Device target = device ?? CPU;
            network.to(target);
            return new RqVaeTokenizer(network, target);
        }
        catch (Exception ex) when (ex is not ArgumentNullException)
        {
            network.Dispose();
            throw new ArgumentException($"The weights do not fit an RQ-VAE with these hyperparameters: {ex.Message}", nameof(weights), ex);
        }
    }

    /// <summary>Releases the network's native tensors.</summary>
    public void Dispose() => _network.Dispose();

    /// <summary>Codes of every row of <paramref name="content"/> (on the device), row-major int [rows × levels].</summary>
    internal int[] EncodeCodes(Tensor content)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < content.shape[0]; start += InferenceRows)
        {
            Tensor block = content.narrow(0, start, Math.Min(InferenceRows, content.shape[0] - start));
            parts.Add(_network.Quantizer.Quantize(_network.Encode(block), 0, withLoss: false).Codes);
        }

        if (parts.Count == 0)
        {
            return Array.Empty<int>();
        }

        return cat(parts, 0).to(ScalarType.Int32).cpu().data<int>().ToArray();
    }

    /// <summary>Squared distances [items × CodebookSize] of the given rows' last-level residuals to the last codebook.</summary>
    internal float[] LastLevelDistances(Tensor content, int[] items)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor rows = content.index_select(0, tensor(items.Select(i => (long)i).ToArray(), device: content.device));
        QuantizerOutput output = _network.Quantizer.Quantize(EncodeLatents(_network, rows), 0, withLoss: false);
        Tensor residual = output.LevelInputs[Hyperparameters.Levels - 1];
        return RqVaeMath.SquaredDistances(residual, _network.Quantizer.Codebooks[Hyperparameters.Levels - 1]).cpu().data<float>().ToArray();
    }

    /// <summary>Mean squared reconstruction error over all rows of <paramref name="content"/> (eval mode).</summary>
    internal double ReconstructionLoss(Tensor content)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double total = 0;
        for (long start = 0; start < content.shape[0]; start += InferenceRows)
        {
            Tensor block = content.narrow(0, start, Math.Min(InferenceRows, content.shape[0] - start));
            Tensor quantized = _network.Quantizer.Quantize(_network.Encode(block), 0, withLoss: false).Quantized;
            total += (_network.Decode(quantized) - block).Squared().sum().item<float>();
        }

        return total / Math.Max(1, content.shape[0] * content.shape[1]);
    }

    /// <summary>Encoder output for every row, in blocks (the network must already be in the wanted mode).</summary>
    internal static Tensor EncodeLatents(RqVaeNetwork network, Tensor content)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < content.shape[0]; start += InferenceRows)
        {
            parts.Add(network.Encode(content.narrow(0, start, Math.Min(InferenceRows, content.shape[0] - start))));
        }

        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>A table from row-major codes with this tokenizer's level and codebook sizes.</summary>
    internal SemanticIdTable ToTable(int[] codes, int count)
    {
        int levels = Hyperparameters.Levels;
        var rows = new int[count][];
        for (int item = 0; item < count; item++)
        {
            rows[item] = codes.AsSpan(item * levels, levels).ToArray();
        }

        return new SemanticIdTable(rows, Enumerable.Repeat(Hyperparameters.CodebookSize, levels).ToArray());
    }
}
