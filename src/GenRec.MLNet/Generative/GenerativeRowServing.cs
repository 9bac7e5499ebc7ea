using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Generative;

/// <summary>
/// Serves rows of the generative compute steps, one row (a <c>PredictionEngine</c>) or a block of rows (a cursor that
/// reads ahead) alike: one batched beam search for the block, then one batched teacher-forced pass for the rows that
/// name an item. The same code serves both, so a block gives each row what it would get alone.
/// </summary>
internal static class GenerativeRowServing
{
    /// <summary>Recommendations (item key values, best first), their scores and each row's item score (NaN without a known item).</summary>
    public static (uint[][] Items, float[][] Scores, float[] ItemScores) Serve(GenerativeRecommenderModel model, IReadOnlyList<GenerativeServingRequest> rows, bool scoreRowItems)
    {
        ArgumentNullException.ThrowIfNull(model);
        var requests = new RecommendationRequest[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            requests[r] = new RecommendationRequest(rows[r].UserIndex, KnownItems(rows[r].HistoryKeys, model.ItemCount));
        }

        int[][] recommended = model.Recommend(requests, model.TopK, model.ExcludeHistoryFromRecommendations, out float[][] scores);
        var items = new uint[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
        {
            items[r] = Array.ConvertAll(recommended[r], item => (uint)item + 1);
        }

        var itemScores = new float[rows.Count];
        Array.Fill(itemScores, float.NaN);
        if (scoreRowItems)
        {
            var scored = new List<int>();
            for (int r = 0; r < rows.Count; r++)
            {
                if (rows[r].Item >= 1 && rows[r].Item <= model.ItemCount)
                {
                    scored.Add(r);
                }
            }

            if (scored.Count > 0)
            {
                float[] values = model.ScoreItems(scored.Select(r => requests[r]).ToArray(), scored.Select(r => (int)rows[r].Item - 1).ToArray());
                for (int i = 0; i < scored.Count; i++)
                {
                    itemScores[scored[i]] = values[i];
                }
            }
        }

        return (items, scores, itemScores);
    }

    /// <summary>History item indices (key − 1) of the keys the model knows; unseen (0) and out-of-range keys are skipped.</summary>
    private static int[] KnownItems(uint[] keys, int itemCount)
    {
        int known = 0;
        foreach (uint key in keys)
        {
            known += key >= 1 && key <= itemCount ? 1 : 0;
        }

        var items = new int[known];
        int next = 0;
        foreach (uint key in keys)
        {
            if (key >= 1 && key <= itemCount)
            {
                items[next++] = (int)key - 1;
            }
        }

        return items;
    }
}
