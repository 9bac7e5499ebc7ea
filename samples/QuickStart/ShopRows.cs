using GenRec.MLNet.Data;

namespace GenRec.Samples.QuickStart;

/// <summary>Turns the generated dataset into the raw rows a user would load from <c>interactions.csv</c>.</summary>
internal static class ShopRows
{
    public static ShopRow[] From(InteractionDataset data)
    {
        long[] timestamps = data.Timestamps
            ?? throw new InvalidOperationException("The generated shop has no timestamps; the pipeline orders histories by them.");
        var rows = new ShopRow[data.InteractionCount];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new ShopRow
            {
                User = data.UserIds[data.UserIndices[i]],
                Item = data.ItemIds[data.ItemIndices[i]],
                Timestamp = timestamps[i],
            };
        }

        return rows;
    }
}
