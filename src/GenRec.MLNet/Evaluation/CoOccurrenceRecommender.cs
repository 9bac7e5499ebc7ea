using GenRec.MLNet.Data;

namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Next-item baseline from direct transitions: counts how often item j immediately follows item i in the
/// training sequences, and recommends the most frequent successors of the user's last item(s), filling any
/// remaining slots by popularity.
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="HistoryWindow"/> = 1 (the default) candidates are the successors of the last history item,
/// ranked by transition count. With a larger window the last w items each contribute their transition
/// probabilities P(j | i) = count(i→j) / count(i→·), weighted by <see cref="Decay"/>^distance (1 for the last item,
/// Decay for the one before...). Probabilities rather than raw counts are summed so that a very popular older item
/// cannot drown out the most recent one just because it has more outgoing transitions.
/// </para>
/// <para>
/// Ties are broken by global popularity, then by lower item index. Transitions are stored as a compressed sparse
/// row (per-item successor lists pre-sorted by count), so a request costs O(successors in the window + k),
/// plus the popularity fill which walks a precomputed order.
/// </para>
/// </remarks>
public sealed class CoOccurrenceRecommender : IRecommender
{
    private readonly PopularityRecommender _popularity;
    private readonly int[] _offsets;
    private readonly int[] _successors;
    private readonly int[] _counts;
    private readonly int[] _outTotals;

    /// <summary>Learns transitions from training sequences.</summary>
    /// <param name="trainSequencesByUser">Each user's training item indices, oldest first.</param>
    /// <param name="itemCount">Size of the item space.</param>
    /// <param name="historyWindow">How many of the most recent history items contribute candidates (at least 1).</param>
    /// <param name="decay">Weight multiplier per step back in the window, in (0, 1].</param>
    public CoOccurrenceRecommender(int[][] trainSequencesByUser, int itemCount, int historyWindow = 1, double decay = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyWindow, 1);
        if (!(decay > 0 && decay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be in (0, 1].");
        }

        // Validates the sequences and item range as a side effect.
        _popularity = new PopularityRecommender(trainSequencesByUser, itemCount);
        HistoryWindow = historyWindow;
        Decay = decay;
        (_offsets, _successors, _counts) = BuildTransitions(trainSequencesByUser, itemCount, _popularity.RankOf);
        _outTotals = new int[itemCount];
        for (int item = 0; item < itemCount; item++)
        {
            for (int e = _offsets[item]; e < _offsets[item + 1]; e++)
            {
                _outTotals[item] += _counts[e];
            }
        }
    }

    /// <summary>Learns transitions from a (training) dataset's per-user sequences in event order.</summary>
    /// <param name="trainingData">Training interactions, each user's events in chronological order.</param>
    /// <param name="historyWindow">How many of the most recent history items contribute candidates (at least 1).</param>
    /// <param name="decay">Weight multiplier per step back in the window, in (0, 1].</param>
    public CoOccurrenceRecommender(InteractionDataset trainingData, int historyWindow = 1, double decay = 0.5)
        : this((trainingData ?? throw new ArgumentNullException(nameof(trainingData))).SequencesByUser(), trainingData.ItemCount, historyWindow, decay)
    {
    }

    /// <inheritdoc />
    public int ItemCount => _outTotals.Length;

    /// <summary>Number of most recent history items whose successors are scored.</summary>
    public int HistoryWindow { get; }

    /// <summary>Weight multiplier per step back in the history window.</summary>
    public double Decay { get; }

    /// <summary>Number of distinct (item, next item) pairs observed in training.</summary>
    public int TransitionPairCount => _successors.Length;

    /// <summary>How many times <paramref name="to"/> directly followed <paramref name="from"/> in training.</summary>
    /// <param name="from">Preceding item index.</param>
    /// <param name="to">Following item index.</param>
    public int TransitionCount(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)from, (uint)ItemCount, nameof(from));
        for (int e = _offsets[from]; e < _offsets[from + 1]; e++)
        {
            if (_successors[e] == to)
            {
                return _counts[e];
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public int[][] Recommend(IReadOnlyList<RecommendationRequest> requests, int k, bool excludeHistory)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var results = new int[requests.Count][];
        var chosen = new List<int>(k);
        for (int r = 0; r < requests.Count; r++)
        {
            int[] history = requests[r].History ?? [];
            foreach (int item in history)
            {
                if ((uint)item >= (uint)ItemCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(requests), $"Request {r} has history item {item}, outside 0..{ItemCount - 1}.");
                }
            }

            HashSet<int>? excluded = excludeHistory ? PopularityRecommender.HistorySet(history) : null;
            chosen.Clear();
            if (HistoryWindow == 1 && history.Length > 0)
            {
                TakeSuccessorsOfLast(history[^1], chosen, k, excluded);
            }
            else
            {
                TakeWindowScores(history, chosen, k, excluded);
            }

            if (chosen.Count < k)
            {
                _popularity.FillByPopularity(chosen, k, excluded, chosen.Count == 0 ? null : [.. chosen]);
            }

            results[r] = [.. chosen];
        }

        return results;
    }

    /// <summary>Fast path for a window of one: the CSR segment is already in final ranking order.</summary>
    private void TakeSuccessorsOfLast(int last, List<int> chosen, int k, HashSet<int>? excluded)
    {
        for (int e = _offsets[last]; e < _offsets[last + 1] && chosen.Count < k; e++)
        {
            if (excluded is null || !excluded.Contains(_successors[e]))
            {
                chosen.Add(_successors[e]);
            }
        }
    }

    private void TakeWindowScores(int[] history, List<int> chosen, int k, HashSet<int>? excluded)
    {
        var scores = new Dictionary<int, double>();
        int window = Math.Min(HistoryWindow, history.Length);
        double weight = 1.0;
        for (int back = 0; back < window; back++, weight *= Decay)
        {
            int source = history[history.Length - 1 - back];
            int total = _outTotals[source];
            for (int e = _offsets[source]; e < _offsets[source + 1]; e++)
            {
                int candidate = _successors[e];
                if (excluded is null || !excluded.Contains(candidate))
                {
                    scores[candidate] = scores.GetValueOrDefault(candidate) + (weight * _counts[e] / total);
                }
            }
        }

        int[] rankOf = _popularity.RankOf;
        foreach (var pair in scores.OrderByDescending(p => p.Value).ThenBy(p => rankOf[p.Key]).Take(k))
        {
            chosen.Add(pair.Key);
        }
    }

    /// <summary>
    /// Builds the successor CSR: sorts (from, to) pair keys to count them without hashing, then orders each
    /// item's successors by count (descending), popularity rank and index.
    /// </summary>
    private static (int[] Offsets, int[] Successors, int[] Counts) BuildTransitions(int[][] sequences, int itemCount, int[] rankOf)
    {
        long pairTotal = 0;
        foreach (int[] sequence in sequences)
        {
            pairTotal += Math.Max(0, sequence.Length - 1);
        }

        var keys = new long[pairTotal];
        long n = 0;
        foreach (int[] sequence in sequences)
        {
            for (int t = 1; t < sequence.Length; t++)
            {
                keys[n++] = ((long)sequence[t - 1] * itemCount) + sequence[t];
            }
        }

        Array.Sort(keys);
        var successors = new List<int>();
        var counts = new List<int>();
        var offsets = new int[itemCount + 1];
        for (long i = 0; i < keys.LongLength;)
        {
            long j = i;
            while (j < keys.LongLength && keys[j] == keys[i])
            {
                j++;
            }

            int from = (int)(keys[i] / itemCount);
            offsets[from + 1]++;
            successors.Add((int)(keys[i] % itemCount));
            counts.Add((int)(j - i));
            i = j;
        }

        for (int item = 0; item < itemCount; item++)
        {
            offsets[item + 1] += offsets[item];
        }

        int[] successorArray = [.. successors];
        int[] countArray = [.. counts];
        for (int item = 0; item < itemCount; item++)
        {
            int start = offsets[item];
            int length = offsets[item + 1] - start;
            if (length > 1)
            {
                var segment = new (int Item, int Count)[length];
                for (int e = 0; e < length; e++)
                {
                    segment[e] = (successorArray[start + e], countArray[start + e]);
                }

                Array.Sort(segment, (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : rankOf[a.Item].CompareTo(rankOf[b.Item]));
                for (int e = 0; e < length; e++)
                {
                    (successorArray[start + e], countArray[start + e]) = segment[e];
                }
            }
        }

        return (offsets, successorArray, countArray);
    }
}
