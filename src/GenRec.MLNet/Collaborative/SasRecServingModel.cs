using GenRec.MLNet.Collaborative.Models;
using GenRec.MLNet.Evaluation;
using static TorchSharp.torch;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// What a saved SASRec serves from, once per process (<see cref="Persistence.ModelBlobCache"/>): the network rebuilt
/// from <see cref="SasRecModelBlob"/> and the serving settings. It ranks through the same
/// <see cref="CollaborativeScorer"/> as the trained <see cref="CollaborativeEmbeddingModel"/>, so a history gets the
/// same items and scores whether it is scored by the fitted model or by a loaded zip.
/// </summary>
internal sealed class SasRecServingModel : IDisposable
{
    private readonly SasRecNetwork _network;
    private readonly CollaborativeScorer _scorer;
    private readonly Persistence.ModelUseGate _gate = new("SASRec model");

    // Interaction rows of one user usually come together and ask for the same history: each thread reuses its own last
    // answer, so threads never wait on one another (the network is read-only in eval mode).
    private readonly ThreadLocal<LastAnswer?> _last = new();

    public SasRecServingModel(SasRecNetwork network, Device device, int topK, bool excludeHistory)
    {
        _network = network;
        _scorer = new CollaborativeScorer(network, device);
        TopK = topK;
        ExcludeHistory = excludeHistory;
    }

    public int ItemCount => _scorer.ItemCount;

    public int TopK { get; }

    public bool ExcludeHistory { get; }

    /// <summary>
    /// The top-K raw item keys (index + 1) and scores for one prediction row: the requested history when it names at
    /// least one known item, else the stored training history. Keys 0 (unseen by the key mapping) and keys beyond the
    /// model's items are skipped; nothing left to encode gives empty lists (an unknown user with no history).
    /// </summary>
    public (uint[] Items, float[] Scores) Recommend(uint[] requestKeys, uint[] storedKeys)
    {
        int[] history = ToIndices(requestKeys);
        if (history.Length == 0)
        {
            history = ToIndices(storedKeys);
        }

        if (history.Length == 0)
        {
            return (Array.Empty<uint>(), Array.Empty<float>());
        }

        using (Persistence.ModelUseGate.Token use = _gate.EnterUse())
        {
            LastAnswer? last = _last.Value;
            if (last is null || !last.History.AsSpan().SequenceEqual(history))
            {
                int[][] items = _scorer.RecommendWithScores(new[] { new RecommendationRequest(-1, history) }, TopK, ExcludeHistory, out float[][] scores);
                last = new LastAnswer(history, items[0].Select(item => (uint)item + 1).ToArray(), scores[0]);
                _last.Value = last;
            }

            return ((uint[])last.Items.Clone(), (float[])last.Scores.Clone());
        }
    }

    /// <summary>Frees the network once calls in flight on other threads have finished; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _gate.Close(() =>
    {
        _scorer.Dispose();
        _network.Dispose();
        _last.Dispose();
    });

    private int[] ToIndices(uint[] keys)
    {
        int count = ItemCount;
        return keys.Where(key => key >= 1 && key <= count).Select(key => (int)key - 1).ToArray();
    }

    private sealed record LastAnswer(int[] History, uint[] Items, float[] Scores);
}
