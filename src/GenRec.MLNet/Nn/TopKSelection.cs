using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Nn;

/// <summary>Batched top-K over a score matrix, optionally masking each row's history items.</summary>
internal static class TopKSelection
{
    /// <summary>
    /// Returns the indices of the <paramref name="k"/> best columns of each row of <paramref name="scores"/>
    /// [batch, items], best first. When <paramref name="exclude"/> is given, row b never returns those items.
    /// </summary>
    public static int[][] Select(Tensor scores, int k, IReadOnlyList<int[]>? exclude) => Select(scores, k, exclude, out _);

    /// <summary>As <see cref="Select(Tensor, int, IReadOnlyList{int[]})"/>, also returning each returned item's score.</summary>
    public static int[][] Select(Tensor scores, int k, IReadOnlyList<int[]>? exclude, out float[][] selectedScores)
    {
        using var scope = NewDisposeScope();
        long batch = scores.shape[0], items = scores.shape[1];
        Tensor masked = scores;
        if (exclude != null)
        {
            var rows = new List<long>();
            var cols = new List<long>();
            for (int b = 0; b < exclude.Count; b++)
            {
                foreach (int item in exclude[b])
                {
                    rows.Add(b);
                    cols.Add(item);
                }

            }

            if (rows.Count > 0)
            {
                masked = scores.clone();
                Tensor flat = tensor(rows.ToArray(), device: scores.device).Times(items).Plus(tensor(cols.ToArray(), device: scores.device));
                masked.view(-1).FillAt(flat, float.NegativeInfinity);
            }
        }

        int take = (int)Math.Min(k, items);
        (Tensor values, Tensor indexes) = masked.topk(take, dim: 1);
        long[] top = indexes.cpu().data<long>().ToArray();
        float[] topScores = values.cpu().data<float>().ToArray();
        var result = new int[batch][];
        selectedScores = new float[batch][];
        for (int b = 0; b < batch; b++)
        {
            var row = new List<int>(take);
            var rowScores = new List<float>(take);
            for (int j = 0; j < take; j++)
            {
                // Excluded items carry -inf; when fewer than k items remain, stop before them.
                if (float.IsNegativeInfinity(topScores[b * take + j]) && exclude != null)
                {
                    break;
                }

                row.Add((int)top[b * take + j]);
                rowScores.Add(topScores[b * take + j]);
            }

            result[b] = row.ToArray();
            selectedScores[b] = rowScores.ToArray();
        }

        return result;
    }
}
