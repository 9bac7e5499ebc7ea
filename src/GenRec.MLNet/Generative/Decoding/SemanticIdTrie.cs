using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Generative.Decoding;

/// <summary>
/// Prefix trie of the valid semantic IDs: a node at depth l is a valid prefix of l codes, its children are the
/// codes that may follow, and a node at depth L is a complete ID whose leaf lists the item(s) that carry it.
/// Constrained beam search allows at each step only the children of a beam's node, so every decoded ID is an
/// existing item. Items with identical codes share one leaf; the leaf keeps them in a fixed order (the
/// <c>leafOrder</c> comparison, e.g. training popularity, else ascending item index), which is the order in
/// which a recommender emits them — the model cannot tell them apart, so they share the beam's score.
/// Items can be added at any time (new items become decodable without retraining). Not thread-safe for writes.
/// </summary>
public sealed class SemanticIdTrie
{
    /// <summary>The node id returned for a prefix that is not in the trie.</summary>
    public const int NoNode = -1;

    private static readonly int[] NoItems = Array.Empty<int>();
    private readonly int[] _codebookSizes;
    private readonly Comparison<int> _leafOrder;
    private readonly List<Dictionary<int, int>> _children = new();
    private readonly List<List<int>?> _leafItems = new();
    private readonly List<int> _depth = new();
    private readonly Dictionary<int, int> _leafOfItem = new();

    /// <summary>Creates an empty trie for IDs of <c>codebookSizes.Count</c> levels.</summary>
    /// <param name="codebookSizes">Codes per level; a code at level l must be in 0..codebookSizes[l]−1.</param>
    /// <param name="leafOrder">Order of items that share an ID (first = emitted first); null = ascending item index.</param>
    public SemanticIdTrie(IReadOnlyList<int> codebookSizes, Comparison<int>? leafOrder = null)
    {
        ArgumentNullException.ThrowIfNull(codebookSizes);
        if (codebookSizes.Count == 0 || codebookSizes.Any(size => size < 1))
        {
            throw new ArgumentException("At least one level is required and every codebook size must be at least 1.", nameof(codebookSizes));
        }

        _codebookSizes = codebookSizes.ToArray();
        _leafOrder = leafOrder ?? ((a, b) => a.CompareTo(b));
        NewNode(0);
    }

    /// <summary>A trie holding every item of <paramref name="table"/>.</summary>
    /// <param name="table">Item codes.</param>
    /// <param name="leafOrder">Order of items that share an ID; null = ascending item index.</param>
    public static SemanticIdTrie FromTable(SemanticIdTable table, Comparison<int>? leafOrder = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var trie = new SemanticIdTrie(table.CodebookSizes, leafOrder);
        for (int item = 0; item < table.ItemCount; item++)
        {
            trie.Add(item, table[item]);
        }

        return trie;
    }

    /// <summary>The root node (the empty prefix).</summary>
    public int Root => 0;

    /// <summary>Levels L (codes per ID).</summary>
    public int Levels => _codebookSizes.Length;

    /// <summary>Codebook size of each level.</summary>
    public IReadOnlyList<int> CodebookSizes => _codebookSizes;

    /// <summary>Nodes, including the root and the leaves.</summary>
    public int NodeCount => _children.Count;

    /// <summary>Items added.</summary>
    public int ItemCount => _leafOfItem.Count;

    /// <summary>Distinct complete IDs (leaves).</summary>
    public int IdCount { get; private set; }

    /// <summary>Items whose ID another, earlier-ordered item already carries (items − distinct IDs).</summary>
    public int DuplicateItemCount => ItemCount - IdCount;

    /// <summary>Adds <paramref name="item"/> with ID <paramref name="codes"/>.</summary>
    /// <exception cref="ArgumentException">The item is already in the trie, or the codes have the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A code is outside its level's codebook.</exception>
    public void Add(int item, ReadOnlySpan<int> codes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(item);
        if (codes.Length != Levels)
        {
            throw new ArgumentException($"Item {item} has {codes.Length} codes but the trie has {Levels} levels.", nameof(codes));
        }

        if (_leafOfItem.ContainsKey(item))
        {
            throw new ArgumentException($"Item {item} is already in the trie.", nameof(item));
        }

        for (int level = 0; level < Levels; level++)
        {
            if ((uint)codes[level] >= (uint)_codebookSizes[level])
            {
                throw new ArgumentOutOfRangeException(nameof(codes), $"Item {item} has code {codes[level]} at level {level}, outside 0..{_codebookSizes[level] - 1}.");
            }
        }

        int node = Root;
        for (int level = 0; level < Levels; level++)
        {
            Dictionary<int, int> children = _children[node];
            if (!children.TryGetValue(codes[level], out int child))
            {
                child = NewNode(level + 1);
                children.Add(codes[level], child);
            }

            node = child;
        }

        List<int>? items = _leafItems[node];
        if (items is null)
        {
            items = new List<int>(1);
            _leafItems[node] = items;
            IdCount++;
        }

        int position = 0;
        while (position < items.Count && _leafOrder(items[position], item) <= 0)
        {
            position++;
        }

        items.Insert(position, item);
        _leafOfItem.Add(item, node);
    }

    /// <summary>Whether <paramref name="item"/> has been added.</summary>
    public bool Contains(int item) => _leafOfItem.ContainsKey(item);

    /// <summary>The child of <paramref name="node"/> along <paramref name="code"/>, or <see cref="NoNode"/>.</summary>
    public int Child(int node, int code) =>
        node >= 0 && node < _children.Count && _children[node].TryGetValue(code, out int child) ? child : NoNode;

    /// <summary>The codes that may follow the prefix of <paramref name="node"/> (unordered; empty for a leaf or <see cref="NoNode"/>).</summary>
    public IReadOnlyCollection<int> ChildCodes(int node) =>
        node >= 0 && node < _children.Count ? _children[node].Keys : Array.Empty<int>();

    /// <summary>Depth of a node: the length of its prefix (L for a leaf).</summary>
    public int Depth(int node) => _depth[node];

    /// <summary>The items of a leaf in emission order (empty for inner nodes and <see cref="NoNode"/>).</summary>
    public IReadOnlyList<int> ItemsAt(int node) =>
        node >= 0 && node < _leafItems.Count ? (IReadOnlyList<int>?)_leafItems[node] ?? NoItems : NoItems;

    /// <summary>The node of a prefix of any length up to L, or <see cref="NoNode"/> when no item starts with it.</summary>
    public int Find(ReadOnlySpan<int> prefix)
    {
        if (prefix.Length > Levels)
        {
            return NoNode;
        }

        int node = Root;
        for (int i = 0; i < prefix.Length && node != NoNode; i++)
        {
            node = Child(node, prefix[i]);
        }

        return node;
    }

    /// <summary>Whether some item's ID starts with <paramref name="prefix"/>.</summary>
    public bool IsValidPrefix(ReadOnlySpan<int> prefix) => Find(prefix) != NoNode;

    /// <summary>The items carrying the complete ID <paramref name="codes"/> (empty when it is not a valid ID).</summary>
    public IReadOnlyList<int> Lookup(ReadOnlySpan<int> codes) => codes.Length == Levels ? ItemsAt(Find(codes)) : NoItems;

    /// <summary>
    /// Writes an additive mask for a batch of rows: row r of <paramref name="mask"/> (width
    /// <paramref name="width"/>) becomes 0 at the children of <c>nodes[r]</c> and −∞ elsewhere (all −∞ for
    /// <see cref="NoNode"/>, a dead beam).
    /// </summary>
    internal void FillAllowedMask(ReadOnlySpan<int> nodes, Span<float> mask, int width)
    {
        mask[..(nodes.Length * width)].Fill(float.NegativeInfinity);
        for (int row = 0; row < nodes.Length; row++)
        {
            if (nodes[row] < 0)
            {
                continue;
            }

            Span<float> rowMask = mask.Slice(row * width, width);
            foreach (int code in _children[nodes[row]].Keys)
            {
                rowMask[code] = 0f;
            }
        }
    }

    private int NewNode(int depth)
    {
        _children.Add(new Dictionary<int, int>());
        _leafItems.Add(null);
        _depth.Add(depth);
        return _children.Count - 1;
    }
}
