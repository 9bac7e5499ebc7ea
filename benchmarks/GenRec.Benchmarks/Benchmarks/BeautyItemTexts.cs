using System.Net;
using System.Security.Cryptography;
using System.Text;
using GenRec.MLNet.Tokenization.Text;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// Beauty's item text (<c>beauty/Beauty.items.tsv</c>: index, asin, title, categories; the index is
/// <c>Beauty.inter.json</c>'s item index) as one string per item, and a file cache of the all-MiniLM-L6-v2 vectors of
/// those strings, so a rerun skips the minutes of encoding.
/// </summary>
internal static class BeautyItemTexts
{
    /// <summary>Used for the few items with neither title nor category (the encoder's Fit rejects empty text).</summary>
    public const string Placeholder = "Beauty product";

    private const string CacheMagic = "genrec-minilm-vectors-v1";

    /// <summary>
    /// "title. categories" per item index (HTML entities decoded; TIGER and LETTER embed the same fields plus brand and
    /// description, which this file does not have).
    /// </summary>
    /// <exception cref="InvalidDataException">A line is malformed, an index is repeated or out of range, or one is missing.</exception>
    public static string[] Load(BenchmarkContext context, int itemCount)
    {
        string path = context.DataFile("beauty", "Beauty.items.tsv");
        var texts = new string?[itemCount];
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length != 4 || !int.TryParse(fields[0], out int index) || index < 0 || index >= itemCount || texts[index] != null)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'index<TAB>asin<TAB>title<TAB>categories' with a new index below {itemCount}.");
            }

            string title = WebUtility.HtmlDecode(fields[2]).Trim();
            string categories = fields[3].Trim();
            string text = string.Join(". ", new[] { title, categories }.Where(part => part.Length > 0));
            texts[index] = text.Length > 0 ? text : Placeholder;
        }

        int missing = Array.FindIndex(texts, t => t is null);
        if (missing >= 0)
        {
            throw new InvalidDataException($"{path} has no line for item index {missing}.");
        }

        return texts!;
    }

    /// <summary>The cached vectors of exactly these texts, or null (no file, or a file for other texts).</summary>
    public static float[][]? TryReadCache(string path, IReadOnlyList<string> texts)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadString() != CacheMagic || reader.ReadString() != Fingerprint(texts) || reader.ReadInt32() != texts.Count || reader.ReadInt32() != MiniLmSentenceEncoder.Dimension)
        {
            return null;
        }

        var vectors = new float[texts.Count][];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = new float[MiniLmSentenceEncoder.Dimension];
            for (int d = 0; d < vectors[i].Length; d++)
            {
                vectors[i][d] = reader.ReadSingle();
            }
        }

        return vectors;
    }

    /// <summary>Writes the vectors of <paramref name="texts"/> (replacing any earlier cache).</summary>
    public static void WriteCache(string path, IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(CacheMagic);
            writer.Write(Fingerprint(texts));
            writer.Write(texts.Count);
            writer.Write(MiniLmSentenceEncoder.Dimension);
            foreach (float[] vector in vectors)
            {
                foreach (float value in vector)
                {
                    writer.Write(value);
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Names the model and every text, so a cache never serves vectors of other texts or another encoder.</summary>
    private static string Fingerprint(IReadOnlyList<string> texts) =>
        nameof(BuiltInSentenceEncoder.MiniLmL6V2) + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', texts))));
}
