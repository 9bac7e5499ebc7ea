using GenRec.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Evaluation;

/// <summary>
/// Ranking metrics from a scored <see cref="IDataView"/> (what <see cref="GenRecCatalog.Evaluate"/> runs): the user's
/// relevant items are the label items of all the user's rows, the ranked list is the recommendations column of the
/// user's first row, and every metric goes through <see cref="RankingMetrics"/> exactly as in
/// <see cref="RecommenderEvaluator"/>.
/// </summary>
/// <remarks>
/// Item keys are compared as key values (1-based; 0 = an item the key mapping did not know). A label key 0 counts
/// as one more relevant item of that user that can never be hit; a 0 inside a recommendation list holds its
/// position but matches nothing. Recommendation lists may be longer or shorter than the largest K; an item repeated
/// in a list is credited once, at its best position.
/// </remarks>
internal static class ScoredDataEvaluator
{
    /// <summary>The cutoffs used when none are given.</summary>
    public static readonly int[] DefaultKs = [5, 10, 20];

    /// <summary>Reads <paramref name="data"/> once and averages every metric over its users.</summary>
    /// <param name="data">Scored rows: user, label item key, recommended item keys best first.</param>
    /// <param name="userColumnName">User column (any scalar; a key column must have no missing keys).</param>
    /// <param name="labelColumnName">Held-out item: a key column or a UInt32 column of key values.</param>
    /// <param name="recommendedItemsColumnName">Recommendations: a vector of UInt32 keys or of UInt32 key values.</param>
    /// <param name="ks">Cutoffs, each at least 1; duplicates are ignored.</param>
    /// <exception cref="ArgumentException">A column is missing, has the wrong type or a different key mapping; the message names it.</exception>
    public static RecommendationMetrics Evaluate(IDataView data, string userColumnName, string labelColumnName, string recommendedItemsColumnName, int[] ks)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(ks);
        int[] cutoffs = RecommenderEvaluator.ValidateCutoffs(ks);
        var user = DataViewColumnReaders.Require(data.Schema, userColumnName, "user", nameof(userColumnName));
        DataViewColumnReaders.RequireScalar(user, "user", nameof(userColumnName));
        var label = DataViewColumnReaders.Require(data.Schema, labelColumnName, "label item", nameof(labelColumnName));
        if (!IsItemKey(label.Type))
        {
            throw new ArgumentException(
                $"The label item column '{label.Name}' must hold item keys: a UInt32 key column (MapValueToKey) or UInt32 key values, but is {label.Type}.",
                nameof(labelColumnName));
        }

        var recommended = DataViewColumnReaders.Require(data.Schema, recommendedItemsColumnName, "recommendations", nameof(recommendedItemsColumnName));
        if (recommended.Type is not VectorDataViewType { ItemType: var recommendedItem } || !IsItemKey(recommendedItem))
        {
            throw new ArgumentException(
                $"The recommendations column '{recommended.Name}' must be a vector of UInt32 item keys (or of UInt32 key values), but is {recommended.Type}.",
                nameof(recommendedItemsColumnName));
        }

        RequireSameKeys(label, recommended, recommendedItem);

        var users = new Dictionary<object, int>();
        var targets = new List<List<int>>();
        var ranked = new List<int[]>();
        long rows = 0;
        int unknownLabels = 0;
        using (var cursor = data.GetRowCursor([user, label, recommended]))
        {
            var getUser = DataViewColumnReaders.GroupingGetter(cursor, user);
            var getLabel = DataViewColumnReaders.KeyGetter(cursor, label);
            var getRecommended = cursor.GetGetter<VBuffer<uint>>(recommended);
            var list = default(VBuffer<uint>);
            while (cursor.MoveNext())
            {
                object value = getUser()
                    ?? throw new ArgumentException(
                        $"Row {rows} has a missing key (0) in the user column '{user.Name}'; every scored row needs a known user.",
                        nameof(userColumnName));
                if (!users.TryGetValue(value, out int u))
                {
                    u = users.Count;
                    users.Add(value, u);
                    targets.Add([]);
                    getRecommended(ref list);
                    ranked.Add(ToIndices(list, recommended.Name, rows));
                }

                ulong key = getLabel();
                if (key == 0)
                {
                    // A distinct negative index per unknown label: never in a ranked list (indices there are ≥ 0 or
                    // int.MinValue), and two unknown labels of one user stay two relevant items.
                    unknownLabels++;
                    targets[u].Add(-1 - targets[u].Count(t => t < 0));
                }
                else
                {
                    targets[u].Add(ToIndex(key, label.Name, rows));
                }

                rows++;
            }
        }

        if (rows == 0)
        {
            throw new ArgumentException("The scored data has no rows; there is nothing to evaluate.", nameof(data));
        }

        string[] metrics = [.. MetricNames.All];
        var sums = new double[metrics.Length, cutoffs.Length];
        for (int u = 0; u < ranked.Count; u++)
        {
            RecommenderEvaluator.Accumulate(sums, metrics, cutoffs, ranked[u], [.. targets[u]]);
        }

        for (int m = 0; m < metrics.Length; m++)
        {
            for (int column = 0; column < cutoffs.Length; column++)
            {
                sums[m, column] /= ranked.Count;
            }
        }

        return new RecommendationMetrics(new MetricsTable(cutoffs, metrics, sums, ranked.Count), rows, unknownLabels);
    }

    /// <summary>A UInt32 key type, or a plain UInt32 read as key values.</summary>
    private static bool IsItemKey(DataViewType type) =>
        type is KeyDataViewType { RawType: var raw } ? raw == typeof(uint) : type == NumberDataViewType.UInt32;

    /// <summary>
    /// When both columns are key-typed they must come from one key mapping: the same key count and, where both carry
    /// <c>KeyValues</c>, the same value for every key. Otherwise equal key numbers would name different items.
    /// </summary>
    private static void RequireSameKeys(DataViewSchema.Column label, DataViewSchema.Column recommended, DataViewType recommendedItem)
    {
        if (label.Type is not KeyDataViewType labelKey || recommendedItem is not KeyDataViewType recommendedKey)
        {
            return;
        }

        if (labelKey.Count != recommendedKey.Count)
        {
            throw new ArgumentException(
                $"The label item column '{label.Name}' has {labelKey.Count} keys but the recommendations column '{recommended.Name}' has " +
                $"{recommendedKey.Count}; both must come from the same key mapping (transform the evaluation data with the model's MapValueToKey).",
                "labelColumnName");
        }

        string[]? labelValues = DataViewColumnReaders.KeyValueStrings(label);
        string[]? recommendedValues = DataViewColumnReaders.KeyValueStrings(recommended);
        if (labelValues is null || recommendedValues is null)
        {
            return;
        }

        int length = Math.Min(labelValues.Length, recommendedValues.Length);
        for (int i = 0; i < length; i++)
        {
            if (labelValues[i] != recommendedValues[i])
            {
                throw new ArgumentException(
                    $"The label item column '{label.Name}' and the recommendations column '{recommended.Name}' use different key mappings: " +
                    $"key {i + 1} is '{labelValues[i]}' in '{label.Name}' but '{recommendedValues[i]}' in '{recommended.Name}'.",
                    "labelColumnName");
            }
        }
    }

    /// <summary>0-based item indices of a list of keys; a 0 key keeps its position as <see cref="int.MinValue"/>, which matches no target.</summary>
    private static int[] ToIndices(VBuffer<uint> list, string columnName, long row)
    {
        var indices = new int[list.Length];
        int position = 0;
        foreach (uint key in list.DenseValues())
        {
            indices[position++] = key == 0 ? int.MinValue : ToIndex(key, columnName, row);
        }

        return indices;
    }

    private static int ToIndex(ulong key, string columnName, long row) =>
        key <= int.MaxValue
            ? (int)(key - 1)
            : throw new ArgumentException($"Row {row} has item key {key} in column '{columnName}', more than an index can hold.", "data");
}
