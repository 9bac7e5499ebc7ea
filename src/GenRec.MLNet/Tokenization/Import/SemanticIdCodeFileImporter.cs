using System.Globalization;
using System.Text;
using GenRec.MLNet.Data;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Reads and writes semantic IDs as files, so that published codes (e.g. LETTER's <c>Beauty.letter-index.json</c>)
/// can be trained on and compared with, and codes made here can be used by other tools.
/// </summary>
/// <remarks>
/// <para>Two formats:</para>
/// <list type="bullet">
/// <item><description>LETTER's index JSON: <c>{"0": ["&lt;a_183&gt;", "&lt;b_70&gt;", "&lt;c_232&gt;", "&lt;d_6&gt;"], ...}</c>;
/// the letter of each token names its level (a = 0, b = 1, ...) and must follow the order of the list.</description></item>
/// <item><description>Plain text: one item per line, <c>item&lt;TAB&gt;c0 c1 c2 c3</c> (any spaces or tabs separate the
/// fields when reading). Blank lines and lines starting with <c>#</c> are skipped.</description></item>
/// </list>
/// <para>Item indices must cover 0..n−1 (or 0..<see cref="SemanticIdImportOptions.ItemCount"/>−1) without gaps or
/// repeats, and every item needs the same number of codes. Any violation throws <see cref="DataFormatException"/>
/// naming the file, the line (when it concerns one entry) and the problem.</para>
/// </remarks>
public static class SemanticIdCodeFileImporter
{
    // Files are written with \n and without a byte order mark, as LETTER's Python code writes them, so that an
    // exported file compares byte for byte with theirs.
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Imports LETTER-style index JSON.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="options">Codebook sizes and expected item count; defaults: 256 codes per level, items 0..n−1.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is malformed or its items or codes are inconsistent.</exception>
    public static SemanticIdTable ImportJson(string path, SemanticIdImportOptions? options = null)
    {
        options ??= new SemanticIdImportOptions();
        options.Validate();
        InputFile.EnsureExists(path, "semantic ID JSON");
        return CodeJsonReader.Read(path).Build(options);
    }

    /// <summary>Imports the plain text form, one <c>item&lt;TAB&gt;c0 c1 ...</c> line per item.</summary>
    /// <param name="path">The text file.</param>
    /// <param name="options">Codebook sizes and expected item count; defaults: 256 codes per level, items 0..n−1.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">A line is malformed or the items or codes are inconsistent.</exception>
    public static SemanticIdTable ImportText(string path, SemanticIdImportOptions? options = null)
    {
        options ??= new SemanticIdImportOptions();
        options.Validate();
        var rows = new CodeRowCollector(path);
        foreach (var (number, text) in InputFile.ReadLines(path, "semantic ID text"))
        {
            string line = text.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int item))
            {
                throw new DataFormatException(path, number, $"item index \"{fields[0]}\" is not a non-negative integer; lines must read item<TAB>c0 c1 c2 ...");
            }

            var codes = new int[fields.Length - 1];
            for (int level = 0; level < codes.Length; level++)
            {
                if (!int.TryParse(fields[level + 1], NumberStyles.None, CultureInfo.InvariantCulture, out codes[level]))
                {
                    throw new DataFormatException(path, number, $"item {item}: code {level + 1} \"{fields[level + 1]}\" is not a non-negative integer.");
                }
            }

            rows.Add(item, codes, number);
        }

        return rows.Build(options);
    }

    /// <summary>
    /// Writes <paramref name="table"/> as LETTER-style index JSON on one line, formatted as Python's <c>json.dump</c>
    /// does (<c>", "</c> and <c>": "</c> separators), so LETTER's tools read it and files can be compared with theirs.
    /// </summary>
    /// <exception cref="ArgumentException">The table has more than 26 levels, which letters a..z cannot name.</exception>
    public static void ExportJson(SemanticIdTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (table.Levels > SemanticIdToken.MaxLevels)
        {
            throw new ArgumentException($"The table has {table.Levels} levels; the JSON token format names at most {SemanticIdToken.MaxLevels} (a..z). Use ExportText instead.", nameof(table));
        }

        using var writer = CreateWriter(path);
        writer.Write('{');
        for (int item = 0; item < table.ItemCount; item++)
        {
            writer.Write(item == 0 ? "\"" : ", \"");
            writer.Write(item.ToString(CultureInfo.InvariantCulture));
            writer.Write("\": [");
            var codes = table[item];
            for (int level = 0; level < codes.Length; level++)
            {
                writer.Write(level == 0 ? "\"" : ", \"");
                writer.Write(SemanticIdToken.Format(level, codes[level]));
                writer.Write('"');
            }

            writer.Write(']');
        }

        writer.Write('}');
    }

    /// <summary>Writes <paramref name="table"/> in the plain text form: <c>item&lt;TAB&gt;c0 c1 ...</c>, one line per item.</summary>
    public static void ExportText(SemanticIdTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var writer = CreateWriter(path);
        var line = new StringBuilder();
        for (int item = 0; item < table.ItemCount; item++)
        {
            line.Clear().Append(item.ToString(CultureInfo.InvariantCulture)).Append('\t');
            var codes = table[item];
            for (int level = 0; level < codes.Length; level++)
            {
                if (level > 0)
                {
                    line.Append(' ');
                }

                line.Append(codes[level].ToString(CultureInfo.InvariantCulture));
            }

            writer.Write(line.Append('\n'));
        }
    }

    private static StreamWriter CreateWriter(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return new StreamWriter(path, append: false, Utf8NoBom);
    }
}
