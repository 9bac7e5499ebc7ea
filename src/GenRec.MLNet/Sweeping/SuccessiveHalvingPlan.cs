namespace GenRec.MLNet.Sweeping;

/// <summary>
/// The shape of one successive-halving bracket: the budget of each rung (the smallest budget times η per rung, the
/// last rung at the largest budget) and how many configurations each rung trains (n, n/η, n/η², …, at least one).
/// </summary>
internal sealed class SuccessiveHalvingPlan
{
    private SuccessiveHalvingPlan(int[] budgets, int[] sizes)
    {
        Budgets = budgets;
        Sizes = sizes;
    }

    /// <summary>Budget per rung, increasing, ending at the largest budget.</summary>
    public IReadOnlyList<int> Budgets { get; }

    /// <summary>Configurations per rung, non-increasing.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Trials the whole bracket takes.</summary>
    public int TrialCount => Sizes.Sum();

    /// <summary>
    /// The bracket for budgets <paramref name="minBudget"/>..<paramref name="maxBudget"/> and reduction factor
    /// <paramref name="eta"/>: η^(rungs−1) configurations at the first rung, shrunk (largest first size that fits)
    /// when only <paramref name="trialsLeft"/> trials remain.
    /// </summary>
    public static SuccessiveHalvingPlan Create(int minBudget, int maxBudget, int eta, int trialsLeft)
    {
        var budgets = new List<int> { minBudget };
        while (budgets[^1] < maxBudget)
        {
            budgets.Add((int)Math.Min(maxBudget, (long)budgets[^1] * eta));
        }

        int fullSize = (int)Math.Min(1_000_000, Math.Pow(eta, budgets.Count - 1));
        int first = fullSize;
        while (first > 1 && RungSizes(first, eta, budgets.Count).Sum() > trialsLeft)
        {
            first--;
        }

        return new SuccessiveHalvingPlan([.. budgets], RungSizes(first, eta, budgets.Count));
    }

    private static int[] RungSizes(int first, int eta, int rungs)
    {
        var sizes = new int[rungs];
        double size = first;
        for (int rung = 0; rung < rungs; rung++)
        {
            sizes[rung] = Math.Max(1, (int)Math.Floor(size + 1e-9));
            size /= eta;
        }

        return sizes;
    }
}
