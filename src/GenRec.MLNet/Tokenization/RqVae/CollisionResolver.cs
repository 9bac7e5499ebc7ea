namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Makes semantic IDs unique after training. Works on plain code arrays (row-major [items, levels]); the only thing it
/// needs from the network is, for the items that collide, their distances to the last-level codes, which it asks for
/// once (an item's prefix never changes here, so neither do those distances).
/// </summary>
internal static class CollisionResolver
{
    /// <summary>The outcome: final codes (row-major), the codebook size of each level, and a report.</summary>
    internal sealed record Result(int[] Codes, int[] CodebookSizes, RqVaeCollisionReport Report);

    /// <summary>Applies <paramref name="handling"/> to <paramref name="codes"/>.</summary>
    /// <param name="codes">Quantizer codes, row-major [items, levels]; not modified.</param>
    /// <param name="levels">Levels per item.</param>
    /// <param name="codebookSize">Codes per level.</param>
    /// <param name="handling">What to do.</param>
    /// <param name="lastLevelDistances">Given items, their squared distances to every last-level code, row-major [items, codebookSize].</param>
    /// <param name="options">Sinkhorn rounds, ε and iterations.</param>
    /// <param name="outOfTime">
    /// Asked before each Sinkhorn round: once the training budget is spent no further round starts, and the greedy
    /// fallback (fast) places what is left, so IDs are still unique. Null: every round may run.
    /// </param>
    public static Result Resolve(int[] codes, int levels, int codebookSize, CollisionHandling handling, Func<int[], float[]> lastLevelDistances, RqVaeOptions options, Func<bool>? outOfTime = null)
    {
        int items = codes.Length / levels;
        var sizes = Enumerable.Repeat(codebookSize, levels).ToArray();
        List<int[]> groups = FindGroups(codes, levels, Enumerable.Range(0, items));
        double before = CollisionRate(codes, levels);
        int largest = groups.Count == 0 ? 1 : groups.Max(g => g.Length);
        var report = new RqVaeCollisionReport { Handling = handling, CollisionRateBefore = before, LargestCollisionGroup = largest };
        switch (handling)
        {
            case CollisionHandling.None:
                return new Result((int[])codes.Clone(), sizes, report with { CollisionRateAfter = before, CollisionRateAfterSinkhorn = before });
            case CollisionHandling.ExtraLevel:
                (int[] extended, int extraSize) = AppendNumberingLevel(codes, levels);
                return Checked(extended, sizes.Append(extraSize).ToArray(), report with { ExtraLevelAppended = true, CollisionRateAfterSinkhorn = before });
            default:
                return Reassign(codes, levels, codebookSize, groups, lastLevelDistances, options, report, outOfTime ?? (() => false));
        }
    }

    /// <summary>(items − distinct IDs) / items for row-major codes.</summary>
    public static double CollisionRate(int[] codes, int levels)
    {
        int items = codes.Length / levels;
        if (items == 0)
        {
            return 0;
        }

        var distinct = new HashSet<int[]>(CodeRowComparer.Instance);
        for (int item = 0; item < items; item++)
        {
            distinct.Add(codes.AsSpan(item * levels, levels).ToArray());
        }

        return (items - distinct.Count) / (double)items;
    }

    /// <summary>TIGER's fix: an extra level numbering the items that share an ID, in item order.</summary>
    public static (int[] Codes, int ExtraSize) AppendNumberingLevel(int[] codes, int levels)
    {
        int items = codes.Length / levels;
        var seen = new Dictionary<int[], int>(CodeRowComparer.Instance);
        var extended = new int[items * (levels + 1)];
        int extraSize = 1;
        for (int item = 0; item < items; item++)
        {
            int[] key = codes.AsSpan(item * levels, levels).ToArray();
            seen.TryGetValue(key, out int count);
            seen[key] = count + 1;
            key.CopyTo(extended, item * (levels + 1));
            extended[item * (levels + 1) + levels] = count;
            extraSize = Math.Max(extraSize, count + 1);
        }

        return (extended, extraSize);
    }

    private static Result Reassign(int[] original, int levels, int codebookSize, List<int[]> groups, Func<int[], float[]> lastLevelDistances, RqVaeOptions options, RqVaeCollisionReport report, Func<bool> outOfTime)
    {
        int[] codes = (int[])original.Clone();
        int last = levels - 1;
        int[] moving = groups.SelectMany(g => g).OrderBy(i => i).ToArray();
        if (moving.Length == 0)
        {
            return Checked(codes, Enumerable.Repeat(codebookSize, levels).ToArray(), report);
        }

        float[] distances = lastLevelDistances(moving);
        var row = new Dictionary<int, int>(moving.Length);
        for (int i = 0; i < moving.Length; i++)
        {
            row[moving[i]] = i;
        }

        // How many items use each last-level code under each prefix; free codes are those used by no item outside the group.
        var usage = new Dictionary<int[], int[]>(CodeRowComparer.Instance);
        for (int item = 0; item < codes.Length / levels; item++)
        {
            int[] prefix = codes.AsSpan(item * levels, last).ToArray();
            if (!usage.TryGetValue(prefix, out int[]? counts))
            {
                usage[prefix] = counts = new int[codebookSize];
            }

            counts[codes[item * levels + last]]++;
        }

        int rounds = 0;
        List<int[]> remaining = groups;
        while (remaining.Count > 0 && rounds < options.SinkhornRounds && !outOfTime())
        {
            rounds++;
            bool changed = false;
            foreach (int[] group in remaining)
            {
                int[] counts = usage[codes.AsSpan(group[0] * levels, last).ToArray()];
                List<int> free = FreeCodes(codes, levels, group, counts);
                var costs = new double[group.Length * free.Count];
                for (int g = 0; g < group.Length; g++)
                {
                    for (int f = 0; f < free.Count; f++)
                    {
                        costs[g * free.Count + f] = distances[row[group[g]] * codebookSize + free[f]];
                    }
                }

                int[] choice = SinkhornAssignment.AssignByPlan(costs, group.Length, free.Count, options.SinkhornEpsilon, options.SinkhornIterations);
                for (int g = 0; g < group.Length; g++)
                {
                    changed |= codes[group[g] * levels + last] != free[choice[g]];
                    codes[group[g] * levels + last] = free[choice[g]];
                    counts[free[choice[g]]]++;
                }
            }

            remaining = FindGroups(codes, levels, moving);
            if (!changed)
            {
                break; // the assignment is deterministic: a round that moved nothing will be repeated exactly
            }
        }

        double afterSinkhorn = CollisionRate(codes, levels);
        int placed = 0;
        foreach (int[] group in remaining)
        {
            placed += PlaceGreedily(codes, levels, codebookSize, group, usage[codes.AsSpan(group[0] * levels, last).ToArray()], distances, row);
        }

        int reassigned = moving.Count(i => codes[i * levels + last] != original[i * levels + last]);
        report = report with { CollisionRateAfterSinkhorn = afterSinkhorn, SinkhornRoundsUsed = rounds, ItemsPlacedByFallback = placed, ItemsReassigned = reassigned };
        var sizes = Enumerable.Repeat(codebookSize, levels).ToArray();
        if (FindGroups(codes, levels, moving).Count == 0)
        {
            return Checked(codes, sizes, report);
        }

        // A prefix holds more items than the last level has codes: only another level can tell them apart.
        (int[] extended, int extraSize) = AppendNumberingLevel(codes, levels);
        return Checked(extended, sizes.Append(extraSize).ToArray(), report with { ExtraLevelAppended = true });
    }

    /// <summary>Takes <paramref name="group"/> out of <paramref name="counts"/> and lists the last-level codes then unused under the prefix.</summary>
    private static List<int> FreeCodes(int[] codes, int levels, int[] group, int[] counts)
    {
        foreach (int item in group)
        {
            counts[codes[item * levels + levels - 1]]--;
        }

        var free = new List<int>();
        for (int code = 0; code < counts.Length; code++)
        {
            if (counts[code] == 0)
            {
                free.Add(code);
            }
        }

        // Never empty: the group's own code was just freed.
        return free;
    }

    /// <summary>Gives the group's items distinct free codes, closest (item, code) pairs first; returns how many moved.</summary>
    private static int PlaceGreedily(int[] codes, int levels, int codebookSize, int[] group, int[] counts, float[] distances, Dictionary<int, int> row)
    {
        int last = levels - 1;
        int[] previous = group.Select(item => codes[item * levels + last]).ToArray();
        List<int> free = FreeCodes(codes, levels, group, counts);
        var pairs = new List<(float Distance, int Member, int Code)>(group.Length * free.Count);
        for (int g = 0; g < group.Length; g++)
        {
            foreach (int code in free)
            {
                pairs.Add((distances[row[group[g]] * codebookSize + code], g, code));
            }
        }

        pairs.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Member != b.Member ? a.Member.CompareTo(b.Member) : a.Code.CompareTo(b.Code));
        var done = new bool[group.Length];
        var taken = new HashSet<int>();
        foreach (var (_, member, code) in pairs)
        {
            if (!done[member] && taken.Add(code))
            {
                done[member] = true;
                codes[group[member] * levels + last] = code;
            }
        }

        int moved = 0;
        for (int g = 0; g < group.Length; g++)
        {
            // More items than free codes: the rest keep their code and are separated by the extra level.
            counts[codes[group[g] * levels + last]]++;
            moved += codes[group[g] * levels + last] != previous[g] ? 1 : 0;
        }

        return moved;
    }

    /// <summary>Groups of two or more of <paramref name="items"/> that share all codes, each sorted, in order of their first item.</summary>
    private static List<int[]> FindGroups(int[] codes, int levels, IEnumerable<int> items)
    {
        var byCode = new Dictionary<int[], List<int>>(CodeRowComparer.Instance);
        foreach (int item in items)
        {
            int[] key = codes.AsSpan(item * levels, levels).ToArray();
            if (!byCode.TryGetValue(key, out List<int>? members))
            {
                byCode[key] = members = new List<int>();
            }

            members.Add(item);
        }

        return byCode.Values.Where(m => m.Count > 1).Select(m => m.OrderBy(i => i).ToArray()).OrderBy(m => m[0]).ToList();
    }

    private static Result Checked(int[] codes, int[] sizes, RqVaeCollisionReport report)
    {
        if (CollisionRate(codes, sizes.Length) > 0)
        {
            throw new InvalidOperationException("Collision handling left items sharing a semantic ID; this is a bug in the RQ-VAE tokenizer.");
        }

        return new Result(codes, sizes, report with { CollisionRateAfter = 0 });
    }

    /// <summary>Compares code rows by value.</summary>
    private sealed class CodeRowComparer : IEqualityComparer<int[]>
    {
        public static readonly CodeRowComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            foreach (int value in obj)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}
