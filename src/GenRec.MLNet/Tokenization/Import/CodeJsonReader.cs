using System.Globalization;
using System.Text;
using System.Text.Json;
using GenRec.MLNet.Data;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Reads LETTER's index JSON, <c>{"&lt;item index&gt;": ["&lt;a_183&gt;", "&lt;b_70&gt;", ...], ...}</c>, into a
/// <see cref="CodeRowCollector"/>, with the line of every problem (the released files are one long line, so the
/// message also names the item).
/// </summary>
internal static class CodeJsonReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public static CodeRowCollector Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        // Utf8JsonReader rejects a UTF-8 byte order mark, which some editors write.
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            bytes = bytes[3..];
        }

        var lines = new ByteLineCounter(bytes);
        var rows = new CodeRowCollector(path);
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            if (Next(ref reader, path, lines) != JsonTokenType.StartObject)
            {
                throw Fail(path, lines, ref reader, $"the file must hold one JSON object mapping item indices to code lists; found {Describe(ref reader)}.");
            }

            while (Next(ref reader, path, lines) != JsonTokenType.EndObject)
            {
                string key = reader.GetString()!;
                long line = lines.LineOf(reader.TokenStartIndex);
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int item))
                {
                    throw new DataFormatException(path, line, $"item key \"{key}\" is not a non-negative integer item index.");
                }

                if (Next(ref reader, path, lines) != JsonTokenType.StartArray)
                {
                    throw Fail(path, lines, ref reader, $"the value of item {item} must be an array of code tokens such as [\"<a_183>\", \"<b_70>\"]; found {Describe(ref reader)}.");
                }

                rows.Add(item, ReadCodes(ref reader, path, lines, item), line);
            }

            if (reader.Read())
            {
                throw Fail(path, lines, ref reader, "unexpected content after the top-level object.");
            }
        }
        catch (JsonException ex)
        {
            long line = ex.LineNumber.HasValue ? ex.LineNumber.Value + 1 : 0;
            throw new DataFormatException(path, line, $"invalid JSON: {ex.Message}");
        }

        return rows;
    }

    private static int[] ReadCodes(ref Utf8JsonReader reader, string path, ByteLineCounter lines, int item)
    {
        var codes = new List<int>();
        while (Next(ref reader, path, lines) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Fail(path, lines, ref reader, $"item {item}: code {codes.Count + 1} must be a token string such as \"<a_183>\"; found {Describe(ref reader)}.");
            }

            if (codes.Count == SemanticIdToken.MaxLevels)
            {
                throw Fail(path, lines, ref reader, $"item {item} has more than {SemanticIdToken.MaxLevels} codes; level letters only go from a to z.");
            }

            if (!SemanticIdToken.TryParse(reader.GetString()!, codes.Count, out int code, out string problem))
            {
                throw Fail(path, lines, ref reader, $"item {item}: {problem}");
            }

            codes.Add(code);
        }

        return [.. codes];
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string path, ByteLineCounter lines)
    {
        if (!reader.Read())
        {
            // Read() returns false only at the end of otherwise valid input, i.e. a truncated document.
            throw new DataFormatException(path, lines.LineOf(long.MaxValue), "invalid JSON: the file ends before the top-level object is closed.");
        }

        return reader.TokenType;
    }

    private static DataFormatException Fail(string path, ByteLineCounter lines, ref Utf8JsonReader reader, string problem) =>
        new(path, lines.LineOf(reader.TokenStartIndex), problem);

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{reader.GetString()}\"",
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => reader.TokenType.ToString(),
    };
}
