using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// What generative retrieval needs from interaction rows (one row per user–item event): each user's time-ordered
/// items, and per item (and user) the vectors the upstream stages wrote into columns — the CF item embeddings, the item
/// codes and the user codes. Nothing reaches retrieval as an object, so the same rows train it inside one pipeline.
/// </summary>
internal sealed class RetrievalInteractionRows
{
    private RetrievalInteractionRows(int[][] sequences, float[] cfItemEmbeddings, int cfDimension, SemanticIdTable? itemCodes, SemanticIdTable? userCodes, float[]? cfUserEmbeddings)
    {
        CfUserEmbeddings = cfUserEmbeddings;
        Sequences = sequences;
        CfItemEmbeddings = cfItemEmbeddings;
        CfDimension = cfDimension;
        ItemCodes = itemCodes;
        UserCodes = userCodes;
    }

    /// <summary>Per user index (key − 1), the item indices oldest first (empty for a user without rows).</summary>
    public int[][] Sequences { get; }

    /// <summary>Row-major [items × <see cref="CfDimension"/>] (row = item key − 1).</summary>
    public float[] CfItemEmbeddings { get; }

    public int CfDimension { get; }

    /// <summary>Every item's codes, or null when the options use no history tokens.</summary>
    public SemanticIdTable? ItemCodes { get; }

    /// <summary>Row-major [users × <see cref="CfDimension"/>] (row = user key − 1), or null without <see cref="GenerativeRetrievalOptions.UseUserCodeAnchor"/>.</summary>
    public float[]? CfUserEmbeddings { get; }

    /// <summary>Every user's codes, or null when the options use no user tokens.</summary>
    public SemanticIdTable? UserCodes { get; }

    /// <summary>Checks the columns and reads the rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type (the message names it).</exception>
    /// <exception cref="ArgumentException">No rows, a key 0, a key without a row, or an item (user) whose rows disagree.</exception>
    public static RetrievalInteractionRows Read(IDataView input, GenerativeRetrievalOptions options)
    {
        string userColumn = options.UserColumnName!;
        SchemaChecks.RequireKeyColumn(input.Schema, userColumn);
        SchemaChecks.RequireKeyColumn(input.Schema, options.ItemColumnName);
        int cfDimension = RequireVector(input.Schema, options.ItemEmbeddingColumnName, NumberDataViewType.Single, knownSize: true, "a known-size vector of Single (the collaborative stage's ItemEmbedding output)");
        if (options.UseHistoryTokens)
        {
            RequireVector(input.Schema, options.SemanticIdColumnName, NumberDataViewType.UInt32, knownSize: false, "a vector of UInt32 codes (the item tokenizer's SemanticId output)");
        }

        if (options.UseUserTokens)
        {
            RequireVector(input.Schema, options.UserSemanticIdColumnName, NumberDataViewType.UInt32, knownSize: false, "a vector of UInt32 codes (a user tokenizer stage's output)");
        }

        if (options.UseUserCodeAnchor)
        {
            int userDimension = RequireVector(input.Schema, options.UserEmbeddingColumnName, NumberDataViewType.Single, knownSize: true, "a known-size vector of Single (the collaborative stage's UserEmbedding output; UseUserCodeAnchor is on)");
            if (userDimension != cfDimension)
            {
                throw new ArgumentOutOfRangeException(nameof(input), $"Column '{options.UserEmbeddingColumnName}' has {userDimension} features but '{options.ItemEmbeddingColumnName}' has {cfDimension}; the user and item embeddings must come from the same CF model.");
            }
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

        float[][] embeddings = PerKeyVectors.Read<float>(input, options.ItemColumnName, options.ItemEmbeddingColumnName, "item", "CF embedding");
        SemanticIdTable? itemCodes = options.UseHistoryTokens ? Codes(input, options.ItemColumnName, options.SemanticIdColumnName, "item") : null;
        SemanticIdTable? userCodes = options.UseUserTokens ? Codes(input, userColumn, options.UserSemanticIdColumnName, "user") : null;
        float[]? userEmbeddings = options.UseUserCodeAnchor
            ? PerKeyVectors.Read<float>(input, userColumn, options.UserEmbeddingColumnName, "user", "CF embedding").SelectMany(row => row).ToArray()
            : null;
        return new RetrievalInteractionRows(dataset.SequencesByUser(), embeddings.SelectMany(row => row).ToArray(), cfDimension, itemCodes, userCodes, userEmbeddings);
    }

    /// <summary>
    /// The trainer's per-user sets: each user's distinct items (retrieval ranks a set, so order and repeats carry nothing).
    /// With <paramref name="holdOutLast"/> the user's latest item is held out for validation, unless the user also had it
    /// earlier (it would be in the history and excluded from the ranking).
    /// </summary>
    public (int[][] TrainSets, List<EvaluationCase> Validation) TrainingSets(bool holdOutLast)
    {
        var sets = new int[Sequences.Length][];
        var validation = new List<EvaluationCase>();
        for (int user = 0; user < Sequences.Length; user++)
        {
            int[] sequence = Sequences[user];
            bool holdOut = holdOutLast && sequence.Length >= 2;
            sets[user] = (holdOut ? sequence[..^1] : sequence).Distinct().ToArray();
            if (holdOut && Array.IndexOf(sets[user], sequence[^1]) < 0)
            {
                validation.Add(new EvaluationCase(user, sets[user], new[] { sequence[^1] }));
            }
        }

        return (sets, validation);
    }

    /// <summary>
    /// The codes of every key. Codebook sizes are the largest code per level + 1: the column carries codes, not the
    /// tokenizer's codebook sizes, and the prompt vocabulary only needs room for codes that occur.
    /// </summary>
    private static SemanticIdTable Codes(IDataView input, string keyColumn, string codeColumn, string entity)
    {
        uint[][] raw = PerKeyVectors.Read<uint>(input, keyColumn, codeColumn, entity, "semantic ID");
        return SemanticIdTable.FromObservedCodes(raw.Select(row => row.Select(code => checked((int)code)).ToArray()).ToArray());
    }

    private static int RequireVector(DataViewSchema schema, string name, PrimitiveDataViewType itemType, bool knownSize, string what)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found.");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != itemType || (knownSize && !vector.IsKnownSize))
        {
            throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{name}' must be {what}, but is {column.Type}.");
        }

        return vector.Size;
    }
}
