namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Full-ranking offline evaluation of any <see cref="IRecommender"/>: asks for the top max(K) items per case
/// in batches, checks that the answers are well-formed, and averages Recall, HR, NDCG and MRR at every K.
/// </summary>
/// <remarks>
/// The evaluator is deliberately strict: every model in the library is measured through it, so a recommender that
/// returns duplicates, out-of-range indices, more than K items, or history items when told to exclude them fails
/// loudly (<see cref="InvalidOperationException"/> naming the recommender type) instead of producing silently
/// inflated or deflated numbers.
/// </remarks>
public static class RecommenderEvaluator
{
    /// <summary>Evaluates <paramref name="recommender"/> on <paramref name="cases"/>.</summary>
    /// <param name="recommender">The model to evaluate.</param>
    /// <param name="cases">Test cases; target and history indices must be in 0..recommender.ItemCount-1.</param>
    /// <param name="ks">Cutoffs, each at least 1 (e.g. 5, 10, 20); duplicates are ignored.</param>
    /// <param name="excludeHistory">Passed to the recommender; when true the evaluator also verifies no history item is returned.</param>
    /// <param name="batchSize">Number of requests per <see cref="IRecommender.Recommend"/> call.</param>
    /// <param name="progress">Receives the number of cases evaluated so far after each batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>Mean of every metric at every K, and the case count.</returns>
    public static MetricsTable Evaluate(
        IRecommender recommender,
        IReadOnlyList<EvaluationCase> cases,
        int[] ks,
        bool excludeHistory,
        int batchSize = 256,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int[] cutoffs = ValidateCutoffs(ks);
        int itemCount = recommender.ItemCount;
        if (itemCount < 1)
        {
            throw new InvalidOperationException($"{recommender.GetType().Name}.ItemCount is {itemCount}; a recommender must rank at least one item.");
        }

        if (cases.Count == 0)
        {
            throw new ArgumentException("At least one evaluation case is required.", nameof(cases));
        }

        ValidateCases(cases, itemCount);

        int maxK = cutoffs[^1];
        string[] metrics = [.. MetricNames.All];
        var sums = new double[metrics.Length, cutoffs.Length];
        var checker = new ResultChecker(recommender, itemCount, maxK, excludeHistory);
        var requests = new List<RecommendationRequest>(Math.Min(batchSize, cases.Count));
        for (int start = 0; start < cases.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int end = Math.Min(cases.Count, start + batchSize);
            requests.Clear();
            for (int i = start; i < end; i++)
            {
                requests.Add(new RecommendationRequest(cases[i].UserIndex, cases[i].History));
            }

            int[][] results = recommender.Recommend(requests, maxK, excludeHistory)
                ?? throw new InvalidOperationException($"{recommender.GetType().Name}.Recommend returned null.");
            if (results.Length != requests.Count)
            {
                throw new InvalidOperationException(
                    $"{recommender.GetType().Name}.Recommend returned {results.Length} lists for {requests.Count} requests.");
            }

            for (int i = start; i < end; i++)
            {
                int[] ranked = results[i - start];
                checker.Check(ranked, cases[i], i);
                Accumulate(sums, metrics, cutoffs, ranked, cases[i].Targets);
            }

            progress?.Report(end);
        }

        for (int m = 0; m < metrics.Length; m++)
        {
            for (int column = 0; column < cutoffs.Length; column++)
            {
                sums[m, column] /= cases.Count;
            }
        }

        return new MetricsTable(cutoffs, metrics, sums, cases.Count);
    }

    internal static void Accumulate(double[,] sums, string[] metrics, int[] cutoffs, int[] ranked, int[] targets)
    {
        for (int m = 0; m < metrics.Length; m++)
        {
            for (int column = 0; column < cutoffs.Length; column++)
            {
                sums[m, column] += RankingMetrics.Compute(metrics[m], ranked, targets, cutoffs[column]);
            }
        }
    }

    internal static int[] ValidateCutoffs(int[] ks)
    {
        if (ks.Length == 0)
        {
            throw new ArgumentException("At least one cutoff K is required.", nameof(ks));
        }

        foreach (int k in ks)
        {
            if (k < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ks), k, $"Every cutoff K must be at least 1; got {k}.");
            }
        }

        return [.. ks.Distinct().Order()];
    }

    private static void ValidateCases(IReadOnlyList<EvaluationCase> cases, int itemCount)
    {
        for (int i = 0; i < cases.Count; i++)
        {
            EvaluationCase evaluationCase = cases[i]
                ?? throw new ArgumentException($"Evaluation case {i} is null.", nameof(cases));
            if (evaluationCase.History is null || evaluationCase.Targets is null)
            {
                throw new ArgumentException($"Evaluation case {i} has a null History or Targets array.", nameof(cases));
            }

            if (evaluationCase.Targets.Length == 0)
            {
                throw new ArgumentException($"Evaluation case {i} (user {evaluationCase.UserIndex}) has no targets.", nameof(cases));
            }

            CheckRange(evaluationCase.Targets, "target", i, itemCount);
            CheckRange(evaluationCase.History, "history item", i, itemCount);
        }
    }

    private static void CheckRange(int[] items, string what, int caseIndex, int itemCount)
    {
        foreach (int item in items)
        {
            if ((uint)item >= (uint)itemCount)
            {
                throw new ArgumentException(
                    $"Evaluation case {caseIndex} has {what} {item}, outside the recommender's item range 0..{itemCount - 1}.", "cases");
            }
        }
    }

    /// <summary>
    /// Checks one returned list in O(list + history) using generation-stamped marks over the item space,
    /// so validation stays cheap even for large catalogs.
    /// </summary>
    private sealed class ResultChecker(IRecommender recommender, int itemCount, int maxK, bool excludeHistory)
    {
        private readonly int[] _historyMark = new int[itemCount];
        private readonly int[] _returnedMark = new int[itemCount];
        private int _generation;

        public void Check(int[]? ranked, EvaluationCase evaluationCase, int caseIndex)
        {
            string name = recommender.GetType().Name;
            if (ranked is null)
            {
                throw new InvalidOperationException($"{name} returned a null list for case {caseIndex}.");
            }

            if (ranked.Length > maxK)
            {
                throw new InvalidOperationException($"{name} returned {ranked.Length} items for case {caseIndex} but was asked for at most {maxK}.");
            }

            _generation++;
            if (excludeHistory)
            {
                foreach (int item in evaluationCase.History)
                {
                    _historyMark[item] = _generation;
                }
            }

            for (int position = 0; position < ranked.Length; position++)
            {
                int item = ranked[position];
                if ((uint)item >= (uint)itemCount)
                {
                    throw new InvalidOperationException(
                        $"{name} returned item index {item} at position {position} for case {caseIndex}, outside 0..{itemCount - 1}.");
                }

                if (_returnedMark[item] == _generation)
                {
                    throw new InvalidOperationException(
                        $"{name} returned item {item} more than once for case {caseIndex}; recommendations must not contain duplicates.");
                }

                if (excludeHistory && _historyMark[item] == _generation)
                {
                    throw new InvalidOperationException(
                        $"{name} returned item {item} from the user's history for case {caseIndex} although excludeHistory was true.");
                }

                _returnedMark[item] = _generation;
            }
        }
    }
}
