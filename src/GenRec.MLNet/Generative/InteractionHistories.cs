using GenRec.MLNet.Data;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative;

/// <summary>
/// What the generative recommender needs from interaction rows (one row per user–item event): each user's
/// time-ordered item sequence and each item's semantic ID, read from the tokenizer stage's output column.
/// </summary>
/// <param name="Sequences">Per user index (key − 1), the item indices oldest first (empty for a user without rows).</param>
/// <param name="Codes">Every item's semantic ID (index = item key − 1).</param>
internal sealed record InteractionHistories(int[][] Sequences, SemanticIdTable Codes)
{
    /// <summary>
    /// Reads and checks the rows. Histories are ordered by the timestamp column when there is one, ties (and
    /// views without timestamps) keeping row order. Codebook sizes are taken as the largest code per level + 1:
    /// the column carries codes, not the tokenizer's codebook sizes, and the generator only needs codes that occur.
    /// </summary>
    public static InteractionHistories Read(IDataView input, GenerativeRecommenderOptions options)
    {
        string userColumn = options.UserColumnName!;
        ulong itemCount = SchemaChecks.RequireKeyColumn(input.Schema, options.ItemColumnName);
        SchemaChecks.RequireKeyColumn(input.Schema, userColumn);
        DataViewSchema.Column semanticId = input.Schema.GetColumnOrNull(options.SemanticIdColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(input), $"Input column '{options.SemanticIdColumnName}' (the items' semantic IDs, e.g. the tokenizer stage's output) was not found.");
        if (semanticId.Type is not VectorDataViewType { ItemType: var codeType } || codeType != NumberDataViewType.UInt32)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"Column '{options.SemanticIdColumnName}' must be a vector of UInt32 codes (the tokenizer's SemanticId output), but is {semanticId.Type}.");
        }

        if (options.TimestampColumnName is { } time && input.Schema.GetColumnOrNull(time) is null)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"Timestamp column '{time}' was not found in the input.");
        }

        InteractionDataset dataset = InteractionDataViews.ToInteractionDataset(input, userColumn, options.ItemColumnName, options.TimestampColumnName);
        if (dataset.InteractionCount == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(input));
        }

        if (dataset.Timestamps != null)
        {
            dataset = dataset.OrderByTime();
        }

        SemanticIdTable codes = ReadCodes(input, options, checked((int)itemCount));
        return new InteractionHistories(dataset.SequencesByUser(), codes);
    }

    private static SemanticIdTable ReadCodes(IDataView input, GenerativeRecommenderOptions options, int itemCount)
    {
        DataViewSchema.Column item = input.Schema[options.ItemColumnName];
        DataViewSchema.Column semanticId = input.Schema[options.SemanticIdColumnName];
        var codes = new int[itemCount][];
        using DataViewRowCursor cursor = input.GetRowCursor(new[] { item, semanticId });
        ValueGetter<uint> getItem = cursor.GetGetter<uint>(item);
        ValueGetter<VBuffer<uint>> getCodes = cursor.GetGetter<VBuffer<uint>>(semanticId);
        uint key = 0;
        VBuffer<uint> buffer = default;
        long row = 0;
        int levels = -1;
        while (cursor.MoveNext())
        {
            row++;
            getItem(ref key);
            getCodes(ref buffer);
            int index = (int)key - 1;
            if (buffer.Length == 0)
            {
                throw new ArgumentException($"Row {row}: item key {key} has an empty semantic ID in column '{options.SemanticIdColumnName}'; every training item needs one (an empty ID means the tokenizer could not encode the item).");
            }

            if (levels >= 0 && buffer.Length != levels)
            {
                throw new ArgumentException($"Row {row}: column '{options.SemanticIdColumnName}' has {buffer.Length} codes but earlier rows have {levels}; every semantic ID needs the same number of levels.");
            }

            levels = buffer.Length;
            int[] rowCodes = buffer.DenseValues().Select(code => checked((int)code)).ToArray();
            if (codes[index] is null)
            {
                codes[index] = rowCodes;
            }
            else if (!codes[index].AsSpan().SequenceEqual(rowCodes))
            {
                throw new ArgumentException(
                    $"Row {row}: item key {key} has semantic ID ({string.Join(", ", rowCodes)}) but an earlier row gave it ({string.Join(", ", codes[index])}) in column '{options.SemanticIdColumnName}'; an item has one ID.");
            }
        }

        int missing = Array.IndexOf(codes, null);
        if (missing >= 0)
        {
            throw new ArgumentException(
                $"Column '{options.ItemColumnName}' declares {itemCount} items but item key {missing + 1} has no row, so it has no semantic ID; train on rows that cover every item of the key mapping.");
        }

        return SemanticIdTable.FromObservedCodes(codes);
    }
}
