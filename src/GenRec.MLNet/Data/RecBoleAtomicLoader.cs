using System.Globalization;

namespace GenRec.MLNet.Data;

/// <summary>
/// Loads RecBole atomic files: an <c>.inter</c> file of interactions and optionally an <c>.item</c> file of item
/// features. Both are tab-separated with a header of <c>name:type</c> fields (types <c>token</c>,
/// <c>token_seq</c>, <c>float</c>, <c>float_seq</c>).
/// </summary>
/// <remarks>
/// <para>The <c>.inter</c> file needs <c>user_id:token</c> and <c>item_id:token</c>; <c>timestamp:float</c> is used
/// when present (truncated to a whole number: RecBole timestamps are Unix seconds written as floats). Other
/// columns (ratings, ...) are checked for column count only. Users and items are indexed in order of first
/// appearance and keep their tokens as IDs; only items that occur in <c>.inter</c> become items.</para>
/// <para>Item text joins an item's <c>token</c> and <c>token_seq</c> fields other than <c>item_id</c> (e.g. title,
/// categories, brand) with <c>" | "</c> in header order; empty fields are left out.</para>
/// </remarks>
public static class RecBoleAtomicLoader
{
    private static readonly string[] KnownTypes = ["token", "token_seq", "float", "float_seq"];

    /// <summary>Loads <paramref name="interPath"/> and, when given, item text from <paramref name="itemPath"/>.</summary>
    /// <param name="interPath">The RecBole <c>.inter</c> file.</param>
    /// <param name="itemPath">Optional RecBole <c>.item</c> file.</param>
    /// <exception cref="FileNotFoundException">A given file is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message names the file and line.</exception>
    public static InteractionDataset Load(string interPath, string? itemPath = null)
    {
        InputFile.EnsureExists(interPath, "RecBole .inter");
        if (itemPath != null)
        {
            InputFile.EnsureExists(itemPath, "RecBole .item");
        }

        var users = new IdIndexer();
        var items = new IdIndexer();
        var userIndices = new List<int>();
        var itemIndices = new List<int>();
        List<long>? timestamps = null;
        Header? header = null;
        int userCol = -1, itemCol = -1, timeCol = -1;

        foreach (var (number, text) in InputFile.ReadLines(interPath, "RecBole .inter"))
        {
            if (header == null)
            {
                header = Header.Parse(text, interPath, number);
                userCol = header.Require("user_id", "token");
                itemCol = header.Require("item_id", "token");
                timeCol = header.Optional("timestamp", "float");
                timestamps = timeCol >= 0 ? new List<long>() : null;
                continue;
            }

            if (text.Length == 0)
            {
                continue;
            }

            var fields = header.SplitRow(text, number);
            userIndices.Add(users.GetOrAdd(header.NonEmpty(fields, userCol, number)));
            itemIndices.Add(items.GetOrAdd(header.NonEmpty(fields, itemCol, number)));
            if (timestamps != null)
            {
                string value = header.NonEmpty(fields, timeCol, number);
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double time) || !double.IsFinite(time))
                {
                    throw new DataFormatException(interPath, number, $"timestamp '{value}' is not a number.");
                }

                timestamps.Add((long)Math.Floor(time));
            }
        }

        if (header == null)
        {
            throw new DataFormatException(interPath, 0, "the file is empty; expected a header line of name:type fields.");
        }

        var itemText = itemPath != null ? ReadItemText(itemPath, items) : null;
        return new InteractionDataset(users.Ids, items.Ids, userIndices.ToArray(), itemIndices.ToArray(), timestamps?.ToArray(), itemText);
    }

    private static string?[] ReadItemText(string path, IdIndexer items)
    {
        var text = new string?[items.Count];
        var lineOfItem = new Dictionary<string, long>(StringComparer.Ordinal);
        Header? header = null;
        int itemCol = -1;
        int[] textCols = [];
        foreach (var (number, line) in InputFile.ReadLines(path, "RecBole .item"))
        {
            if (header == null)
            {
                header = Header.Parse(line, path, number);
                itemCol = header.Require("item_id", "token");
                textCols = Enumerable.Range(0, header.Count)
                    .Where(c => c != itemCol && header.Types[c] is "token" or "token_seq")
                    .ToArray();
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var fields = header.SplitRow(line, number);
            string id = header.NonEmpty(fields, itemCol, number);
            if (!lineOfItem.TryAdd(id, number))
            {
                throw new DataFormatException(path, number, $"item '{id}' is listed twice (first on line {lineOfItem[id]}).");
            }

            // Items nobody interacted with have no index, so their features are not needed.
            if (items.TryGet(id, out int item))
            {
                text[item] = string.Join(" | ", textCols.Select(c => fields[c].Trim()).Where(v => v.Length > 0));
            }
        }

        if (header == null)
        {
            throw new DataFormatException(path, 0, "the file is empty; expected a header line of name:type fields.");
        }

        return text;
    }

    /// <summary>A parsed atomic-file header: field names and types, with the file it came from for error messages.</summary>
    private sealed class Header
    {
        private readonly string _path;
        private readonly long _line;

        private Header(string path, long line, string[] names, string[] types)
        {
            _path = path;
            _line = line;
            Names = names;
            Types = types;
        }

        public string[] Names { get; }

        public string[] Types { get; }

        public int Count => Names.Length;

        public static Header Parse(string line, string path, long number)
        {
            var fields = line.Split('\t');
            var names = new string[fields.Length];
            var types = new string[fields.Length];
            for (int i = 0; i < fields.Length; i++)
            {
                string field = fields[i].Trim();
                int colon = field.LastIndexOf(':');
                if (colon <= 0 || colon == field.Length - 1)
                {
                    throw new DataFormatException(path, number, $"header field {i + 1} '{field}' is not of the form name:type.");
                }

                names[i] = field[..colon];
                types[i] = field[(colon + 1)..];
                if (!KnownTypes.Contains(types[i]))
                {
                    throw new DataFormatException(path, number, $"header field '{field}' has unknown type '{types[i]}' (expected one of {string.Join(", ", KnownTypes)}).");
                }

                if (Array.IndexOf(names, names[i], 0, i) >= 0)
                {
                    throw new DataFormatException(path, number, $"header field '{names[i]}' appears twice.");
                }
            }

            return new Header(path, number, names, types);
        }

        /// <summary>Position of a column that must exist with the given type.</summary>
        public int Require(string name, string type)
        {
            int index = Optional(name, type);
            if (index < 0)
            {
                throw new DataFormatException(_path, _line, $"missing header column '{name}:{type}' (header is '{string.Join("\t", Names.Zip(Types, (n, t) => n + ":" + t))}').");
            }

            return index;
        }

        /// <summary>Position of an optional column, or -1; a column with the right name but another type is an error.</summary>
        public int Optional(string name, string type)
        {
            int index = Array.IndexOf(Names, name);
            if (index >= 0 && Types[index] != type)
            {
                throw new DataFormatException(_path, _line, $"column '{name}' must have type {type} but is declared '{name}:{Types[index]}'.");
            }

            return index;
        }

        public string[] SplitRow(string line, long number)
        {
            var fields = line.Split('\t');
            if (fields.Length != Count)
            {
                throw new DataFormatException(_path, number, $"expected {Count} tab-separated columns as in the header but found {fields.Length}.");
            }

            return fields;
        }

        public string NonEmpty(string[] fields, int column, long number)
        {
            string value = fields[column].Trim();
            if (value.Length == 0)
            {
                throw new DataFormatException(_path, number, $"column '{Names[column]}' is empty.");
            }

            return value;
        }
    }
}
