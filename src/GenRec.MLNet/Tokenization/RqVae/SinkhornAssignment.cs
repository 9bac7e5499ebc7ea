namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Entropic optimal transport between a few colliding items and the codes free for them (Sinkhorn-Knopp scaling in the
/// log domain, so small ε does not underflow). Every item carries mass 1 and every code can hold at most mass 1, so
/// items that prefer the same code are pushed apart, the one with the cheaper alternative moving first.
/// LETTER instead asks every code to receive an equal share of the mass; with far more free codes than items that
/// forces mass onto codes nobody is near and can pull an item away from its own free nearest code, so the column
/// constraint here is a capacity (an inequality, whose Bregman projection only scales overfull columns down).
/// The matrices are tiny (a collision group × the codes free under its prefix), so plain arrays beat tensor dispatch.
/// </summary>
internal static class SinkhornAssignment
{
    /// <summary>
    /// Returns, for every row of <paramref name="costs"/> (row-major [rows, columns]), the column with the largest
    /// transport mass after <paramref name="iterations"/> balancing iterations. Costs are rescaled to [0, 1] first so
    /// that <paramref name="epsilon"/> means the same for any distance scale.
    /// </summary>
    public static int[] AssignByPlan(double[] costs, int rows, int columns, double epsilon, int iterations)
    {
        double[] plan = Plan(costs, rows, columns, epsilon, iterations);
        var result = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int c = 1; c < columns; c++)
            {
                if (plan[r * columns + c] > plan[r * columns + best])
                {
                    best = c;
                }
            }

            result[r] = best;
        }

        return result;
    }

    /// <summary>The log transport plan [rows, columns]: row sums 1, column sums at most 1 (when columns ≥ rows).</summary>
    public static double[] Plan(double[] costs, int rows, int columns, double epsilon, int iterations)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double cost in costs)
        {
            min = Math.Min(min, cost);
            max = Math.Max(max, cost);
        }

        double range = max - min;
        var log = new double[rows * columns];
        for (int i = 0; i < log.Length; i++)
        {
            log[i] = range > 0 ? -(costs[i] - min) / range / epsilon : 0.0;
        }

        // log 1: each item is one unit of mass, each code holds at most one unit.
        const double rowTarget = 0.0, columnCapacity = 0.0;
        var column = new double[rows];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            for (int r = 0; r < rows; r++)
            {
                double shift = rowTarget - LogSumExp(log.AsSpan(r * columns, columns));
                for (int c = 0; c < columns; c++)
                {
                    log[r * columns + c] += shift;
                }
            }

            for (int c = 0; c < columns; c++)
            {
                for (int r = 0; r < rows; r++)
                {
                    column[r] = log[r * columns + c];
                }

                double shift = Math.Min(0.0, columnCapacity - LogSumExp(column));
                for (int r = 0; r < rows; r++)
                {
                    log[r * columns + c] += shift;
                }
            }
        }

        return log;
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
