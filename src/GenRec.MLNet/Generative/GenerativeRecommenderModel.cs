using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative.Decoding;
using GenRec.MLNet.Generative.Models;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative;

/// <summary>
/// A trained generative recommender (TIGER / LETTER): generates the next item's semantic ID with beam search
/// constrained by a prefix trie of valid IDs, so every recommendation is an existing item. New items become
/// recommendable without retraining through <see cref="AddItems"/> or <see cref="ExtendTrie"/>. Rebuilt from
/// its hyperparameters, its codes and <see cref="SaveWeights"/> by <see cref="Load"/>.
/// </summary>
/// <remarks>
/// Ranking: items come from the beams in descending score (the sum of per-level log-probabilities). Items that
/// share an ID share that beam's score and are emitted in the trie's leaf order: most training interactions
/// first (<see cref="ItemCounts"/>), then lower index. With <c>excludeHistory</c>, history items are skipped
/// while collecting, so a user can receive fewer than k items when the beams run out; requests for k items
/// decode max(<see cref="GenerativeRecommenderOptions.BeamSize"/>, k) beams.
/// <para>Thread safety: recommending, generating and scoring may run on any number of threads at once. The network is
/// read-only at serving (eval mode, no gradients) and every call builds its own decoding state, so concurrent calls
/// share no mutable state. <see cref="AddItems"/>, <see cref="ExtendTrie"/> and <see cref="Dispose"/> wait for calls
/// in flight and hold later ones off until they are done; after <see cref="Dispose"/> every call throws
/// <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class GenerativeRecommenderModel : IRecommender, IDisposable
{
    private readonly GenerativeRecommenderOptions _options;
    private readonly GenerativeNetwork _network;
    private readonly ItemTokenTable _table;
    private readonly GenerativeDecoder _decoder;
    private readonly List<int> _itemCounts;

    // Uses: every decoding call (they share nothing mutable). Changes: what changes the items. Close: frees the network.
    private readonly Persistence.ModelUseGate _gate = new("generative model");
    private SemanticIdTable _codes;

    internal GenerativeRecommenderModel(GenerativeRecommenderOptions options, SemanticIdTable codes, GenerativeNetwork network, ItemTokenTable table, IReadOnlyList<int> itemCounts, Device device)
    {
        // The model keeps hyperparameters only: no progress sink or cancellation token from the training call.
        _options = options.Clone();
        _options.Progress = null;
        _options.CancellationToken = default;
        _codes = codes;
        _network = network;
        _table = table;
        _itemCounts = itemCounts.ToList();
        Device = device;
        _network.eval();
        SemanticIdTrie trie = SemanticIdTrie.FromTable(codes, CompareForLeaf);
        _decoder = new GenerativeDecoder(network, table, trie, _options, device, () => _codes.ItemCount);
    }

    /// <summary>A copy of the hyperparameters the model was built with.</summary>
    public GenerativeRecommenderOptions Options => _options.Clone();

    /// <summary>The items' codes, including items added after training.</summary>
    public SemanticIdTable Codes => _codes;

    /// <summary>The prefix trie of valid IDs that constrains decoding.</summary>
    public SemanticIdTrie Trie => _decoder.Trie;

    /// <summary>The device the model computes on.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public int ItemCount => _codes.ItemCount;

    /// <summary>Training interactions per item (0 for items added later); orders items that share an ID.</summary>
    public IReadOnlyList<int> ItemCounts => _itemCounts;

    /// <summary>Items served per row (the options' <see cref="GenerativeRecommenderOptions.TopK"/>, without cloning the options per row).</summary>
    internal int TopK => _options.TopK;

    /// <summary>Whether serving skips the history's items (the options' <see cref="GenerativeRecommenderOptions.ExcludeHistoryFromRecommendations"/>).</summary>
    internal bool ExcludeHistoryFromRecommendations => _options.ExcludeHistoryFromRecommendations;

    /// <summary>Encoder-decoder decoding reuses decoder keys/values across steps; false recomputes the decoded prefix (for measurement and checks).</summary>
    internal bool UseDecoderCache { get => _decoder.UseCache; set => _decoder.UseCache = value; }

    /// <summary>
    /// How strongly the model expects each request's given item next: the sum of its codes' log-probabilities,
    /// teacher-forced along the item's ID (the scale of the recommendation scores). Item indices must be in 0..ItemCount-1.
    /// </summary>
    internal float[] ScoreItems(IReadOnlyList<RecommendationRequest> requests, IReadOnlyList<int> items) => Read(() => _decoder.ScoreItems(requests, items, _codes));

    internal GenerativeNetwork Network => _network;

    /// <inheritdoc />
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory) => Recommend(requests, k, excludeHistory, out _);

    /// <summary>As <see cref="Recommend(IReadOnlyList{RecommendationRequest}, int, bool)"/>, also returning each item's score (its beam's log-probability sum).</summary>
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory, out float[][] scores)
    {
        using Persistence.ModelUseGate.Token use = _gate.EnterUse();
        return _decoder.Recommend(requests, k, excludeHistory, out scores);
    }

    /// <summary>The best <paramref name="beamSize"/> IDs per request, best first, with their items.</summary>
    /// <param name="requests">Users and histories.</param>
    /// <param name="beamSize">Beams per request.</param>
    /// <param name="constrained">True (default) restricts decoding to valid IDs; false lets the model generate any code sequence.</param>
    public GeneratedId[][] Generate(IReadOnlyList<RecommendationRequest> requests, int beamSize, bool constrained = true)
    {
        return Read(() => _decoder.Decode(requests, beamSize, constrained).Select(beams => beams.Select(b => new GeneratedId(b.Codes, b.Score, constrained ? Trie.ItemsAt(b.Leaf) : Trie.Lookup(b.Codes))).ToArray()).ToArray());
    }

    /// <summary>Counts the IDs an unconstrained beam search would invent (a diagnostic of how well the model learned the ID space).</summary>
    public InvalidIdReport CountInvalidIds(IReadOnlyList<RecommendationRequest> requests, int beamSize)
    {
        GeneratedId[][] generated = Generate(requests, beamSize, constrained: false);
        int beams = generated.Sum(g => g.Length);
        int invalid = generated.Sum(g => g.Count(id => !id.IsValid));
        int invalidTop = generated.Count(g => g.Length > 0 && !g[0].IsValid);
        return new InvalidIdReport(requests.Count, beams, invalid, invalidTop);
    }

    /// <summary>
    /// Makes the items that <paramref name="extended"/> adds after the current ones recommendable, without
    /// retraining. The existing items must keep their codes, and the codebook sizes must match.
    /// </summary>
    public void AddItems(SemanticIdTable extended)
    {
        ArgumentNullException.ThrowIfNull(extended);
        using Persistence.ModelUseGate.Token change = _gate.EnterChange(ItemsRefusal);
        AddItemsExclusive(extended);
    }

    private void AddItemsExclusive(SemanticIdTable extended)
    {
        if (!extended.CodebookSizes.SequenceEqual(_codes.CodebookSizes))
        {
            throw new ArgumentException("The extended table's codebook sizes differ from the model's; the model must be retrained for a new tokenizer.", nameof(extended));
        }

        if (extended.ItemCount < _codes.ItemCount || !extended.AllCodes[.._codes.AllCodes.Length].SequenceEqual(_codes.AllCodes))
        {
            throw new ArgumentException("The extended table must start with the model's items, unchanged, and only add items after them.", nameof(extended));
        }

        for (int item = _codes.ItemCount; item < extended.ItemCount; item++)
        {
            _itemCounts.Add(0);
            Trie.Add(item, extended[item]);
        }

        _codes = extended;
        _table.Rebuild(extended);
    }

    /// <summary>Adds one new item with its codes (from the tokenizer) as item index <see cref="ItemCount"/>.</summary>
    /// <param name="itemIndex">Must equal <see cref="ItemCount"/>: items are appended.</param>
    /// <param name="codes">One code per level, within the codebooks.</param>
    public void ExtendTrie(int itemIndex, ReadOnlySpan<int> codes)
    {
        using Persistence.ModelUseGate.Token change = _gate.EnterChange(ItemsRefusal);
        ExtendTrieExclusive(itemIndex, codes);
    }

    private void ExtendTrieExclusive(int itemIndex, ReadOnlySpan<int> codes)
    {
        if (itemIndex != _codes.ItemCount)
        {
            throw new ArgumentOutOfRangeException(nameof(itemIndex), itemIndex, $"New items are appended: the next item index is {_codes.ItemCount}.");
        }

        var rows = new int[_codes.ItemCount + 1][];
        for (int item = 0; item < _codes.ItemCount; item++)
        {
            rows[item] = _codes.GetCodes(item);
        }

        rows[itemIndex] = codes.ToArray();
        AddItemsExclusive(new SemanticIdTable(rows, _codes.CodebookSizes));
    }

    /// <summary>The network weights (TorchSharp's module format), enough with the options and codes to rebuild the model.</summary>
    public byte[] SaveWeights() => Read(() =>
    {
        using var stream = new MemoryStream();
        _network.save(stream);
        return stream.ToArray();
    });

    /// <summary>Rebuilds a model from <see cref="SaveWeights"/>, the options it was trained with and the item codes.</summary>
    /// <param name="weights">Bytes from <see cref="SaveWeights"/>.</param>
    /// <param name="options">The hyperparameters used in training (the architecture fields must match).</param>
    /// <param name="codes">Item codes: the training table, or an extension of it with new items.</param>
    /// <param name="itemCounts">Training interactions per item (orders items sharing an ID); null = all zero, i.e. ascending index.</param>
    /// <param name="mlContext">Supplies the GPU preference for <see cref="TorchTrainerOptions.Device"/>; null = a new context.</param>
    public static GenerativeRecommenderModel Load(byte[] weights, GenerativeRecommenderOptions options, SemanticIdTable codes, IReadOnlyList<int>? itemCounts = null, MLContext? mlContext = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(codes);
        options.Validate();
        Device device = TorchEnvironment.ResolveDevice(mlContext ?? new MLContext(), options.Device);
        GenerativeNetwork network = GenerativeRecommenderTrainer.CreateNetwork(options, codes);
        try
        {
            using (var reader = new BinaryReader(new MemoryStream(weights)))
            {
                network.load(reader);
            }

            network.to(device);
            int[] counts = new int[codes.ItemCount];
            itemCounts?.Take(codes.ItemCount).ToArray().CopyTo(counts, 0);
            var table = new ItemTokenTable(codes, network.Vocabulary, device);
            return new GenerativeRecommenderModel(options, codes, network, table, counts, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Frees the network once calls in flight on other threads have finished; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _gate.Close(() =>
    {
        _table.Dispose();
        _network.Dispose();
    });

    private const string ItemsRefusal = "The generative model was disposed; items can no longer be added.";

    private T Read<T>(Func<T> call)
    {
        using Persistence.ModelUseGate.Token use = _gate.EnterUse();
        return call();
    }

    private int CompareForLeaf(int a, int b)
    {
        int countA = a < _itemCounts.Count ? _itemCounts[a] : 0;
        int countB = b < _itemCounts.Count ? _itemCounts[b] : 0;
        return countA != countB ? countB.CompareTo(countA) : a.CompareTo(b);
    }
}
