namespace GenRec.MLNet.Tests.Tokenization.Text;

/// <summary>
/// A temp folder with a tiny WordPiece vocabulary and tiny ONNX encoders over it. The [PAD] embedding row is huge,
/// so any pooling that counted padding would be far off the hand-computed value.
/// </summary>
internal sealed class EncoderFiles : IDisposable
{
    public const int Hidden = 4;

    public static readonly string[] Vocabulary =
    {
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "red", "blue", "running", "shoes", "kitchen", "knife", "##s", "chef", "steel",
    };

    public EncoderFiles(string? folderName = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "genrec-text-" + Guid.NewGuid().ToString("N"));
        Folder = folderName is null ? Root : Path.Combine(Root, folderName);
        Directory.CreateDirectory(Folder);
        VocabularyPath = Path.Combine(Folder, "vocab.txt");
        File.WriteAllLines(VocabularyPath, Vocabulary);
        Embedding = new float[Vocabulary.Length, Hidden];
        for (int token = 0; token < Vocabulary.Length; token++)
        {
            for (int j = 0; j < Hidden; j++)
            {
                Embedding[token, j] = token == 0 ? 500f : ((token + 1) * (j + 1) * 0.5f) - (2 * j) + (token % 3);
            }
        }
    }

    public string Root { get; }

    public string Folder { get; }

    public string VocabularyPath { get; }

    public float[,] Embedding { get; }

    /// <summary>Writes a tiny encoder (see <see cref="TinyOnnxModel"/>) and returns its path.</summary>
    public string WriteModel(string name = "encoder.onnx", Func<TinyOnnxModel.Spec, TinyOnnxModel.Spec>? configure = null)
    {
        string path = Path.Combine(Folder, name);
        var spec = new TinyOnnxModel.Spec(Embedding);
        TinyOnnxModel.Write(path, configure is null ? spec : configure(spec));
        return path;
    }

    /// <summary>Id of a vocabulary token.</summary>
    public static int Id(string token) => Array.IndexOf(Vocabulary, token) is int id && id >= 0 ? id : throw new ArgumentException(token);

    /// <summary>The embedding row of a token.</summary>
    public float[] Row(string token) => Enumerable.Range(0, Hidden).Select(j => Embedding[Id(token), j]).ToArray();

    /// <summary>The mean of the embedding rows of the given tokens.</summary>
    public float[] Mean(params string[] tokens)
    {
        var sum = new double[Hidden];
        foreach (string token in tokens)
        {
            float[] row = Row(token);
            for (int j = 0; j < Hidden; j++)
            {
                sum[j] += row[j];
            }
        }

        return sum.Select(s => (float)(s / tokens.Length)).ToArray();
    }

    /// <summary><paramref name="vector"/> scaled to unit L2 length.</summary>
    public static float[] Unit(float[] vector)
    {
        double norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        return vector.Select(x => (float)(x / norm)).ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
