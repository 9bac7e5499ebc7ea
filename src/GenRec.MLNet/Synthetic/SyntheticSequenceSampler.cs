namespace GenRec.MLNet.Synthetic;

/// <summary>
/// Draws one user's item sequence step by step: noise, a designated-successor transition, or a
/// popularity-weighted item from a (usually preferred) category. Users never repeat an item, so leave-one-out
/// targets are never in the history and evaluation with excludeHistory loses nothing.
/// </summary>
/// <remarks>The order of random draws is part of the documented process: changing it changes every catalog.</remarks>
internal sealed class SyntheticSequenceSampler
{
    // Rejection sampling of unseen items gives up after this many tries and falls back to a deterministic scan;
    // with sequences far shorter than categories the fallback practically never runs.
    private const int MaxTries = 32;

    private readonly SyntheticRandom _rng;
    private readonly SyntheticCatalogOptions _options;
    private readonly int[][] _successors;
    private readonly int[][] _categoryItemsByRank;
    private readonly double[][] _categoryCumulativeWeights;
    private readonly int[] _seenMark;
    private int _generation;
    private int[] _preferred = [];

    /// <param name="rng">Shared generator PRNG (draw order matters).</param>
    /// <param name="options">Validated options.</param>
    /// <param name="successors">Designated successors per item, most likely first.</param>
    /// <param name="categoryItemsByRank">Items of each category, most popular first.</param>
    /// <param name="itemWeights">Popularity weight per item.</param>
    public SyntheticSequenceSampler(SyntheticRandom rng, SyntheticCatalogOptions options, int[][] successors, int[][] categoryItemsByRank, double[] itemWeights)
    {
        _rng = rng;
        _options = options;
        _successors = successors;
        _categoryItemsByRank = categoryItemsByRank;
        _categoryCumulativeWeights = new double[categoryItemsByRank.Length][];
        for (int c = 0; c < categoryItemsByRank.Length; c++)
        {
            var cumulative = new double[categoryItemsByRank[c].Length];
            double sum = 0;
            for (int i = 0; i < cumulative.Length; i++)
            {
                sum += itemWeights[categoryItemsByRank[c][i]];
                cumulative[i] = sum;
            }

            _categoryCumulativeWeights[c] = cumulative;
        }

        _seenMark = new int[options.ItemCount];
    }

    /// <summary>Draws a user's preferred categories: 2 with probability 1/2 (when there are at least 2 categories), else 1.</summary>
    public int[] DrawPreferredCategories()
    {
        int categoryCount = _options.CategoryCount;
        bool two = categoryCount >= 2 && _rng.NextDouble() < 0.5;
        int first = _rng.Next(categoryCount);
        return two ? [first, (first + 1 + _rng.Next(categoryCount - 1)) % categoryCount] : [first];
    }

    /// <summary>Draws a whole sequence of <paramref name="length"/> distinct items for a user with the given preferences.</summary>
    public int[] DrawSequence(int[] preferredCategories, int length)
    {
        _preferred = preferredCategories;
        _generation++;
        var sequence = new int[length];
        int previous = -1;
        for (int t = 0; t < length; t++)
        {
            int item = NextItem(previous);
            _seenMark[item] = _generation;
            sequence[t] = item;
            previous = item;
        }

        return sequence;
    }

    private bool Seen(int item) => _seenMark[item] == _generation;

    private int NextItem(int previous)
    {
        if (_rng.NextDouble() < _options.Noise)
        {
            return UniformUnseen();
        }

        if (previous >= 0 && _rng.NextDouble() < _options.TransitionStrength)
        {
            int successor = DrawSuccessor(previous);
            if (successor >= 0)
            {
                return successor;
            }
        }

        return CategoryStep();
    }

    /// <summary>Picks an unseen designated successor, the j-th (0-based) with weight 1/(j+1); -1 when all are seen.</summary>
    private int DrawSuccessor(int previous)
    {
        int[] candidates = _successors[previous];
        double total = 0;
        for (int j = 0; j < candidates.Length; j++)
        {
            total += Seen(candidates[j]) ? 0 : 1.0 / (j + 1);
        }

        if (total == 0)
        {
            return -1;
        }

        double u = _rng.NextDouble() * total;
        int last = -1;
        for (int j = 0; j < candidates.Length; j++)
        {
            if (Seen(candidates[j]))
            {
                continue;
            }

            last = candidates[j];
            u -= 1.0 / (j + 1);
            if (u < 0)
            {
                return last;
            }
        }

        return last; // Rounding left a sliver of mass: the last unseen successor takes it.
    }

    /// <summary>Chooses a category (preferred with probability CategoryAffinity) and a popular unseen item in it.</summary>
    private int CategoryStep()
    {
        int categoryCount = _options.CategoryCount;
        bool preferred = _rng.NextDouble() < _options.CategoryAffinity || _preferred.Length == categoryCount;
        int category;
        if (preferred)
        {
            category = _preferred[_rng.Next(_preferred.Length)];
        }
        else
        {
            // Uniform over the non-preferred categories: draw an index among them and skip the preferred ones.
            int index = _rng.Next(categoryCount - _preferred.Length);
            category = 0;
            for (; ; category++)
            {
                if (Array.IndexOf(_preferred, category) >= 0)
                {
                    continue;
                }

                if (index-- == 0)
                {
                    break;
                }
            }
        }

        int[] items = _categoryItemsByRank[category];
        double[] cumulative = _categoryCumulativeWeights[category];
        for (int attempt = 0; attempt < MaxTries; attempt++)
        {
            double u = _rng.NextDouble() * cumulative[^1];
            int position = Array.BinarySearch(cumulative, u);
            position = position >= 0 ? position + 1 : ~position;
            int item = items[Math.Min(position, items.Length - 1)];
            if (!Seen(item))
            {
                return item;
            }
        }

        // The user has seen most of this category: take its most popular unseen item, or any unseen item.
        foreach (int item in items)
        {
            if (!Seen(item))
            {
                return item;
            }
        }

        return UniformUnseen();
    }

    private int UniformUnseen()
    {
        int itemCount = _options.ItemCount;
        for (int attempt = 0; attempt < MaxTries; attempt++)
        {
            int item = _rng.Next(itemCount);
            if (!Seen(item))
            {
                return item;
            }
        }

        // Sequences are at most ItemCount long, so an unseen item always exists.
        int start = _rng.Next(itemCount);
        for (int offset = 0; ; offset++)
        {
            int item = (start + offset) % itemCount;
            if (!Seen(item))
            {
                return item;
            }
        }
    }
}
