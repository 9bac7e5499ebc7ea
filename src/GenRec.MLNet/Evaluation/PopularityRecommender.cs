using GenRec.MLNet.Data;

namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Baseline that recommends the same globally most-interacted items to everyone
/// (ties broken by lower item index), skipping the user's history when asked.
/// </summary>
/// <remarks>
/// Any personalized model should beat it; on skewed catalogs it is surprisingly hard to beat, which is why it is
/// the first row of every comparison.
/// </remarks>
public sealed class PopularityRecommender : IRecommender
{
    private readonly int[] _counts;
    private readonly int[] _ranked;
    private readonly int[] _rankOf;

    /// <summary>Counts interactions in training sequences.</summary>
    /// <param name="trainSequencesByUser">Each user's training item indices (order irrelevant here).</param>
    /// <param name="itemCount">Size of the item space.</param>
    public PopularityRecommender(int[][] trainSequencesByUser, int itemCount)
        : this(CountSequences(trainSequencesByUser, itemCount))
    {
    }

    /// <summary>Counts every interaction of a (training) dataset.</summary>
    /// <param name="trainingData">Training interactions; its item count defines the item space.</param>
    public PopularityRecommender(InteractionDataset trainingData)
        : this(CountDataset(trainingData))
    {
    }

    private PopularityRecommender(int[] counts)
    {
        _counts = counts;
        _ranked = new int[counts.Length];
        for (int i = 0; i < _ranked.Length; i++)
        {
            _ranked[i] = i;
        }

        // Stable order: descending count, then ascending index, so results are deterministic.
        Array.Sort(_ranked, (a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b));
        _rankOf = new int[counts.Length];
        for (int position = 0; position < _ranked.Length; position++)
        {
            _rankOf[_ranked[position]] = position;
        }
    }

    /// <inheritdoc />
    public int ItemCount => _counts.Length;

    /// <summary>Training interaction count of each item; position = item index.</summary>
    public IReadOnlyList<int> ItemCounts => _counts;

    /// <summary>All items, most popular first.</summary>
    public IReadOnlyList<int> RankedItems => _ranked;

    /// <summary>0-based popularity rank of each item (0 = most popular); used by other baselines as a tie-breaker.</summary>
    internal int[] RankOf => _rankOf;

    /// <inheritdoc />
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var results = new int[requests.Count][];
        var chosen = new List<int>(k);
        for (int r = 0; r < requests.Count; r++)
        {
            HashSet<int>? history = excludeHistory ? HistorySet(requests[r].History) : null;
            chosen.Clear();
            FillByPopularity(chosen, k, history, alreadyChosen: null);
            results[r] = [.. chosen];
        }

        return results;
    }

    /// <summary>
    /// Appends the most popular items not in <paramref name="history"/> or <paramref name="alreadyChosen"/>
    /// until <paramref name="output"/> holds <paramref name="k"/> items or the catalog is exhausted.
    /// Walks the precomputed order, so the cost is O(k + skipped items), never a full catalog sort.
    /// </summary>
    internal void FillByPopularity(List<int> output, int k, HashSet<int>? history, HashSet<int>? alreadyChosen)
    {
        for (int position = 0; position < _ranked.Length && output.Count < k; position++)
        {
            int item = _ranked[position];
            if ((history is null || !history.Contains(item)) && (alreadyChosen is null || !alreadyChosen.Contains(item)))
            {
                output.Add(item);
            }
        }
    }

    /// <summary>The request's history as a set, or null when it is empty (nothing to exclude).</summary>
    internal static HashSet<int>? HistorySet(int[]? history) =>
        history is null || history.Length == 0 ? null : [.. history];

    private static int[] CountSequences(int[][] sequences, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        var counts = new int[itemCount];
        for (int u = 0; u < sequences.Length; u++)
        {
            int[] sequence = sequences[u] ?? throw new ArgumentException($"Training sequence {u} is null.", nameof(sequences));
            foreach (int item in sequence)
            {
                if ((uint)item >= (uint)itemCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(sequences), $"Training sequence {u} contains item {item}, outside 0..{itemCount - 1}.");
                }

                counts[item]++;
            }
        }

        return counts;
    }

    private static int[] CountDataset(InteractionDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.ItemCount, 1, nameof(data));
        var counts = new int[data.ItemCount];
        foreach (int item in data.ItemIndices)
        {
            counts[item]++;
        }

        return counts;
    }
}
