using System.Globalization;
using System.Text.Json;

namespace GenRec.MLNet.Data;

/// <summary>
/// Loads the JSON form of the Amazon review benchmarks used by TIGER / LETTER / P5:
/// <c>*.inter.json</c> (<c>{"&lt;user index&gt;": [item index, ...]}</c>, each list in interaction order) and
/// optionally <c>*.item.json</c> (<c>{"&lt;item index&gt;": {"title": ..., "categories": ..., ...}}</c>).
/// </summary>
/// <remarks>
/// <para>The files are already indexed, and published semantic IDs (e.g. <c>Beauty.letter-index.json</c>) refer to
/// those indices, so the loader keeps them: the item index space is 0..(largest item index in either file) and
/// <c>ItemIds[i] == i.ToString()</c>. Users keep their index too when the keys are exactly 0..n−1; otherwise they
/// are indexed in file order and keep their keys as IDs.</para>
/// <para>The files carry no timestamps, so each interaction's timestamp is its position in the user's list;
/// <see cref="InteractionDatasetExtensions.OrderByTime"/> then keeps the published order.</para>
/// <para>Item text joins the item object's string fields (and the strings inside array fields, such as nested
/// category lists) with <c>" | "</c> in file order; numbers, booleans and nested objects are ignored.</para>
/// </remarks>
public static class AmazonJsonLoader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Loads interactions from <paramref name="interPath"/> and optional item text from <paramref name="itemPath"/>.</summary>
    /// <param name="interPath">The <c>*.inter.json</c> file.</param>
    /// <param name="itemPath">Optional <c>*.item.json</c> file with item metadata.</param>
    /// <exception cref="FileNotFoundException">A given file is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message names the file and line.</exception>
    public static InteractionDataset Load(string interPath, string? itemPath = null)
    {
        InputFile.EnsureExists(interPath, "Amazon interactions JSON");
        if (itemPath != null)
        {
            InputFile.EnsureExists(itemPath, "Amazon item JSON");
        }

        var users = ReadInteractions(interPath, out int maxItem);
        Dictionary<int, string>? texts = null;
        if (itemPath != null)
        {
            texts = ReadItems(itemPath);
            if (texts.Count > 0)
            {
                maxItem = Math.Max(maxItem, texts.Keys.Max());
            }
        }

        int itemCount = maxItem + 1;
        var itemIds = new string[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            itemIds[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        string?[]? itemText = null;
        if (texts != null)
        {
            itemText = new string?[itemCount];
            foreach (var (item, text) in texts)
            {
                itemText[item] = text;
            }
        }

        // Keep the users' own indices when they are exactly 0..n-1 so that user i is still "i".
        var userIds = users.Select(u => u.Key).ToArray();
        var userIndexOf = new int[users.Count];
        bool denseIntegerKeys = TryDenseIndices(userIds, userIndexOf);
        if (denseIntegerKeys)
        {
            userIds = new string[users.Count];
            for (int u = 0; u < users.Count; u++)
            {
                userIds[userIndexOf[u]] = users[u].Key;
            }
        }
        else
        {
            for (int u = 0; u < users.Count; u++)
            {
                userIndexOf[u] = u;
            }
        }

        int total = users.Sum(u => u.Items.Count);
        var userIndices = new int[total];
        var itemIndices = new int[total];
        var timestamps = new long[total];
        int e = 0;
        for (int u = 0; u < users.Count; u++)
        {
            var list = users[u].Items;
            for (int p = 0; p < list.Count; p++, e++)
            {
                userIndices[e] = userIndexOf[u];
                itemIndices[e] = list[p];
                timestamps[e] = p;
            }
        }

        return new InteractionDataset(userIds, itemIds, userIndices, itemIndices, timestamps, itemText);
    }

    private static List<(string Key, List<int> Items)> ReadInteractions(string path, out int maxItem)
    {
        var src = new JsonSource(path);
        var reader = new Utf8JsonReader(src.Bytes, ReaderOptions);
        var users = new List<(string, List<int>)>();
        var lineOfUser = new Dictionary<string, long>(StringComparer.Ordinal);
        maxItem = -1;
        try
        {
            Expect(ref reader, src, JsonTokenType.StartObject, "the file must hold one JSON object mapping users to item lists");
            while (Next(ref reader, src) != JsonTokenType.EndObject)
            {
                string user = reader.GetString()!;
                long line = src.LineOf(reader.TokenStartIndex);
                if (!lineOfUser.TryAdd(user, line))
                {
                    throw new DataFormatException(path, line, $"user '{user}' appears twice (first on line {lineOfUser[user]}).");
                }

                Expect(ref reader, src, JsonTokenType.StartArray, $"the value of user '{user}' must be an array of item indices");
                var items = new List<int>();
                while (Next(ref reader, src) != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int item) || item < 0)
                    {
                        throw new DataFormatException(path, src.LineOf(reader.TokenStartIndex), $"item index {Describe(ref reader)} of user '{user}' is not a non-negative integer.");
                    }

                    items.Add(item);
                    maxItem = Math.Max(maxItem, item);
                }

                users.Add((user, items));
            }

            EnsureEnd(ref reader, src);
        }
        catch (JsonException ex)
        {
            throw InvalidJson(path, ex);
        }

        return users;
    }

    private static Dictionary<int, string> ReadItems(string path)
    {
        var src = new JsonSource(path);
        var reader = new Utf8JsonReader(src.Bytes, ReaderOptions);
        var texts = new Dictionary<int, string>();
        try
        {
            Expect(ref reader, src, JsonTokenType.StartObject, "the file must hold one JSON object mapping item indices to item objects");
            while (Next(ref reader, src) != JsonTokenType.EndObject)
            {
                string key = reader.GetString()!;
                long line = src.LineOf(reader.TokenStartIndex);
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int item))
                {
                    throw new DataFormatException(path, line, $"item key '{key}' is not a non-negative integer index.");
                }

                Expect(ref reader, src, JsonTokenType.StartObject, $"the value of item '{key}' must be an object");
                var parts = new List<string>();
                while (Next(ref reader, src) != JsonTokenType.EndObject)
                {
                    Next(ref reader, src); // from the property name to its value
                    CollectStrings(ref reader, src, parts);
                }

                if (!texts.TryAdd(item, string.Join(" | ", parts)))
                {
                    throw new DataFormatException(path, line, $"item '{key}' appears twice.");
                }
            }

            EnsureEnd(ref reader, src);
        }
        catch (JsonException ex)
        {
            throw InvalidJson(path, ex);
        }

        return texts;
    }

    /// <summary>Adds the current value's text: a string, or the strings found in (nested) arrays.</summary>
    private static void CollectStrings(ref Utf8JsonReader reader, JsonSource src, List<string> parts)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                string value = reader.GetString()!.Trim();
                if (value.Length > 0)
                {
                    parts.Add(value);
                }

                break;
            case JsonTokenType.StartArray:
                // Amazon metadata nests category paths as [["Beauty", "Makeup"]]; flatten them to "Beauty, Makeup".
                var inner = new List<string>();
                while (Next(ref reader, src) != JsonTokenType.EndArray)
                {
                    CollectStrings(ref reader, src, inner);
                }

                if (inner.Count > 0)
                {
                    parts.Add(string.Join(", ", inner));
                }

                break;
            case JsonTokenType.StartObject:
                reader.Skip();
                break;
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, JsonSource src)
    {
        if (!reader.Read())
        {
            // Read() only returns false at the very end of otherwise valid input, i.e. a truncated document.
            throw new DataFormatException(src.Path, src.LineOf(src.Bytes.Length), "invalid JSON: the file ends before the top-level object is closed.");
        }

        return reader.TokenType;
    }

    private static void EnsureEnd(ref Utf8JsonReader reader, JsonSource src)
    {
        if (reader.Read())
        {
            throw new DataFormatException(src.Path, src.LineOf(reader.TokenStartIndex), "unexpected content after the top-level object.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonSource src, JsonTokenType expected, string problem)
    {
        if (Next(ref reader, src) != expected)
        {
            throw new DataFormatException(src.Path, src.LineOf(reader.TokenStartIndex), $"{problem}; found {Describe(ref reader)}.");
        }
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{reader.GetString()}\"",
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => reader.TokenType.ToString(),
    };

    private static DataFormatException InvalidJson(string path, JsonException ex)
    {
        long line = ex.LineNumber.HasValue ? ex.LineNumber.Value + 1 : 0;
        return new DataFormatException(path, line, $"invalid JSON: {ex.Message}");
    }

    /// <summary>
    /// Fills <paramref name="indices"/> with each key's integer value when the keys are exactly the canonical
    /// strings "0".."n−1" in some order; returns false otherwise.
    /// </summary>
    private static bool TryDenseIndices(string[] keys, int[] indices)
    {
        var used = new bool[keys.Length];
        for (int k = 0; k < keys.Length; k++)
        {
            if (!int.TryParse(keys[k], NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                || value >= keys.Length
                || used[value]
                || value.ToString(CultureInfo.InvariantCulture) != keys[k])
            {
                return false;
            }

            used[value] = true;
            indices[k] = value;
        }

        return true;
    }

    /// <summary>
    /// A JSON file's bytes plus a forward-only line counter: offsets are asked for in increasing order while
    /// reading, so counting newlines incrementally keeps line reporting linear in the file size.
    /// </summary>
    private sealed class JsonSource
    {
        private long _countedTo;
        private long _line = 1;

        public JsonSource(string path)
        {
            Path = path;
            byte[] bytes = File.ReadAllBytes(path);
            // Utf8JsonReader rejects a UTF-8 byte order mark, which some editors write.
            Bytes = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? bytes[3..] : bytes;
        }

        public string Path { get; }

        public byte[] Bytes { get; }

        /// <summary>1-based line of a byte offset.</summary>
        public long LineOf(long offset)
        {
            if (offset < _countedTo)
            {
                _countedTo = 0;
                _line = 1;
            }

            for (long i = _countedTo; i < offset && i < Bytes.Length; i++)
            {
                if (Bytes[i] == (byte)'\n')
                {
                    _line++;
                }
            }

            _countedTo = Math.Min(offset, Bytes.Length);
            return _line;
        }
    }
}
