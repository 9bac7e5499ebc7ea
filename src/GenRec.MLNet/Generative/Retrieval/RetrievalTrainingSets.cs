using GenRec.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Turns the estimator's training IDataView into the trainer's per-user item sets (and optional validation cases).
/// The caller has already checked the column types.
/// </summary>
internal sealed class RetrievalTrainingSets
{
    private RetrievalTrainingSets(int[][] trainSets, List<EvaluationCase> validation)
    {
        TrainSets = trainSets;
        Validation = validation;
    }

    /// <summary>Per user index (user key − 1, or row number without user tokens), the training items.</summary>
    public int[][] TrainSets { get; }

    /// <summary>Held-out cases when <see cref="GenerativeRetrievalOptions.HoldOutLastItemForValidation"/>; may be empty.</summary>
    public List<EvaluationCase> Validation { get; }

    /// <exception cref="ArgumentException">No rows, or a row with key 0 or an out-of-range key.</exception>
    public static RetrievalTrainingSets Read(IDataView input, GenerativeRetrievalOptions options, int itemCount, int userCodeCount)
    {
        DataViewSchema.Column historyColumn = input.Schema[options.HistoryColumnName];
        DataViewSchema.Column? userColumn = options.UseUserTokens ? input.Schema[options.UserColumnName] : null;
        // With user tokens the sets are indexed by user key, so users without rows still get a (empty) set and keep
        // their code-table row; without them the user index only numbers the rows.
        int userSlots = userColumn is { } u ? (int)((KeyDataViewType)u.Type).Count : 0;

        var sets = new List<List<int>>();
        var seen = new List<HashSet<int>>();
        for (int user = 0; user < userSlots; user++)
        {
            sets.Add(new List<int>());
            seen.Add(new HashSet<int>());
        }

        var heldOut = new List<(int User, int Item)>();
        var columns = userColumn is { } c ? new[] { historyColumn, c } : new[] { historyColumn };
        using DataViewRowCursor cursor = input.GetRowCursor(columns);
        ValueGetter<VBuffer<uint>> historyGetter = cursor.GetGetter<VBuffer<uint>>(historyColumn);
        ValueGetter<uint>? userGetter = userColumn is { } uc ? cursor.GetGetter<uint>(uc) : null;
        VBuffer<uint> buffer = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            row++;
            int user;
            if (userGetter is null)
            {
                user = sets.Count;
                sets.Add(new List<int>());
                seen.Add(new HashSet<int>());
            }
            else
            {
                uint key = 0;
                userGetter(ref key);
                if (key == 0 || key > userSlots || key > userCodeCount)
                {
                    throw new ArgumentException($"Row {row}: column '{options.UserColumnName}' holds key {key}, which is missing or outside 1..{Math.Min(userSlots, userCodeCount)}.", nameof(input));
                }

                user = (int)key - 1;
            }

            historyGetter(ref buffer);
            var items = new List<int>(buffer.Length);
            foreach (uint key in buffer.DenseValues())
            {
                // Training keys come from the same key mapping as the data, so 0 means the mapping was fitted on
                // other data: say so instead of silently training on less.
                if (key == 0 || key > itemCount)
                {
                    throw new ArgumentException($"Row {row}: column '{options.HistoryColumnName}' holds key {key}, which is missing or outside 1..{itemCount}.", nameof(input));
                }

                items.Add((int)key - 1);
            }

            if (options.HoldOutLastItemForValidation && items.Count >= 2)
            {
                heldOut.Add((user, items[^1]));
                items.RemoveAt(items.Count - 1);
            }

            foreach (int item in items)
            {
                if (seen[user].Add(item))
                {
                    sets[user].Add(item);
                }
            }
        }

        if (row == 0)
        {
            throw new ArgumentException("The input has no rows.", nameof(input));
        }

        int[][] trainSets = sets.Select(s => s.ToArray()).ToArray();
        var validation = new List<EvaluationCase>();
        foreach ((int user, int item) in heldOut)
        {
            // An item the user also has in another row is in the history and would be excluded from the ranking.
            if (!seen[user].Contains(item))
            {
                validation.Add(new EvaluationCase(user, trainSets[user], new[] { item }));
            }
        }

        return new RetrievalTrainingSets(trainSets, validation);
    }
}
