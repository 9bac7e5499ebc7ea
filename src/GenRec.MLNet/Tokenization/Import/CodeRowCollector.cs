using System.Globalization;
using GenRec.MLNet.Data;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Gathers the (item, codes) rows read from one code file and checks them as a whole — duplicates, one level count,
/// the item range, the codebook sizes — so the JSON and the text importer report problems with the same words.
/// </summary>
internal sealed class CodeRowCollector
{
    /// <summary>How many offending indices an error message lists before it just gives the count.</summary>
    private const int ListedInErrors = 10;

    private readonly string _path;
    private readonly Dictionary<int, (int[] Codes, long Line)> _rows = [];
    private int _firstItem = -1;
    private long _firstLine;

    public CodeRowCollector(string path) => _path = path;

    /// <summary>Adds one item's codes, failing at <paramref name="line"/> on a repeated item or a different level count.</summary>
    public void Add(int item, int[] codes, long line)
    {
        if (codes.Length == 0)
        {
            throw Fail(line, $"item {item} has no codes.");
        }

        if (_rows.TryGetValue(item, out var earlier))
        {
            throw Fail(line, $"item {item} appears twice (first on line {earlier.Line}).");
        }

        if (_firstItem < 0)
        {
            _firstItem = item;
            _firstLine = line;
        }
        else
        {
            int levels = _rows[_firstItem].Codes.Length;
            if (codes.Length != levels)
            {
                throw Fail(line, $"item {item} has {codes.Length} codes but item {_firstItem} (line {_firstLine}) has {levels}; every item needs one code per level.");
            }
        }

        _rows.Add(item, (codes, line));
    }

    /// <summary>Checks the item range and codebook sizes and builds the table.</summary>
    public SemanticIdTable Build(SemanticIdImportOptions options)
    {
        if (_rows.Count == 0)
        {
            throw Fail(0, "the file holds no items.");
        }

        int levels = _rows[_firstItem].Codes.Length;
        int itemCount = CheckItemRange(options.ItemCount);
        int[] sizes = CodebookSizes(options, levels);

        var byItem = new int[itemCount][];
        foreach (var (item, (codes, line)) in _rows)
        {
            for (int level = 0; level < levels; level++)
            {
                if (codes[level] >= sizes[level])
                {
                    throw Fail(line, $"item {item} has code {codes[level]} at level {level} ({SemanticIdToken.Format(level, codes[level])}), outside the codebook of size {sizes[level]}; give larger codebook sizes or infer them.");
                }
            }

            byItem[item] = codes;
        }

        return new SemanticIdTable(byItem, sizes);
    }

    private int CheckItemRange(int? expectedCount)
    {
        int itemCount = expectedCount ?? _rows.Count;
        var outside = _rows.Where(r => r.Key >= itemCount).OrderBy(r => r.Key).ToList();
        if (outside.Count > 0 && expectedCount.HasValue)
        {
            var (item, (_, line)) = outside[0];
            throw Fail(line, $"item index {item} is outside 0..{itemCount - 1} (the expected item count is {itemCount}).");
        }

        // Without an expected count the entries must be exactly 0..n-1, so an index >= n means some index is missing.
        var missing = Enumerable.Range(0, itemCount).Where(i => !_rows.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            string range = expectedCount.HasValue
                ? $"{missing.Count} of the expected {itemCount} items have no codes"
                : $"the {_rows.Count} item indices must be exactly 0..{_rows.Count - 1}, but {missing.Count} of those are missing (largest index found: {_rows.Keys.Max()})";
            throw Fail(0, $"{range}: {List(missing)}.");
        }

        return itemCount;
    }

    private int[] CodebookSizes(SemanticIdImportOptions options, int levels)
    {
        if (options.CodebookSizes != null)
        {
            if (options.CodebookSizes.Count != levels)
            {
                throw Fail(0, $"the file has {levels} levels but {options.CodebookSizes.Count} codebook sizes were given.");
            }

            return [.. options.CodebookSizes];
        }

        var sizes = new int[levels];
        for (int level = 0; level < levels; level++)
        {
            sizes[level] = options.InferCodebookSizes
                ? _rows.Values.Max(r => r.Codes[level]) + 1
                : options.CodebookSize;
        }

        return sizes;
    }

    private static string List(IReadOnlyList<int> indices)
    {
        string shown = string.Join(", ", indices.Take(ListedInErrors).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return indices.Count > ListedInErrors ? $"{shown}, ... ({indices.Count - ListedInErrors} more)" : shown;
    }

    private DataFormatException Fail(long line, string problem) => new(_path, line, problem);
}
