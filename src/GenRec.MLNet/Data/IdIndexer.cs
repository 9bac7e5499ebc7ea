namespace GenRec.MLNet.Data;

/// <summary>
/// Assigns dense 0-based indices to string IDs in order of first appearance, which is how every
/// loader that reads raw IDs builds its index space.
/// </summary>
internal sealed class IdIndexer
{
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);
    private readonly List<string> _ids = new();

    /// <summary>The IDs seen so far; position = index.</summary>
    public List<string> Ids => _ids;

    /// <summary>Number of distinct IDs seen so far.</summary>
    public int Count => _ids.Count;

    /// <summary>Returns the index of <paramref name="id"/>, adding it when new.</summary>
    public int GetOrAdd(string id)
    {
        if (!_indexOf.TryGetValue(id, out int index))
        {
            index = _ids.Count;
            _indexOf.Add(id, index);
            _ids.Add(id);
        }

        return index;
    }

    /// <summary>Looks an ID up without adding it.</summary>
    public bool TryGet(string id, out int index) => _indexOf.TryGetValue(id, out index);
}
