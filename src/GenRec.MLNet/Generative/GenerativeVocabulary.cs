namespace GenRec.MLNet.Generative;

/// <summary>
/// The token layout shared by the encoder, decoder and output layer: PAD, BOS, then every level's codes at
/// their own offset (so code 5 of level 0 and code 5 of level 1 are different tokens), then the optional
/// hashed user tokens and one token for users the model cannot hash (negative index). It depends only on the
/// codebook sizes and options, never on the item count, so adding items never changes the weights' shapes.
/// </summary>
internal sealed class GenerativeVocabulary
{
    public const int Pad = 0;
    public const int Bos = 1;
    private const int CodeBase = 2;
    private readonly int[] _levelOffsets;
    private readonly int[] _codebookSizes;

    public GenerativeVocabulary(IReadOnlyList<int> codebookSizes, bool useUserToken, int userHashBuckets)
    {
        _codebookSizes = codebookSizes.ToArray();
        _levelOffsets = new int[_codebookSizes.Length];
        int next = CodeBase;
        for (int level = 0; level < _codebookSizes.Length; level++)
        {
            _levelOffsets[level] = next;
            next += _codebookSizes[level];
        }

        CodeTokenCount = next - CodeBase;
        UseUserToken = useUserToken;
        UserBuckets = useUserToken ? userHashBuckets : 0;
        UserBase = next;
        Size = next + (useUserToken ? userHashBuckets + 1 : 0);
    }

    /// <summary>Number of levels L.</summary>
    public int Levels => _codebookSizes.Length;

    /// <summary>Codebook size of each level.</summary>
    public IReadOnlyList<int> CodebookSizes => _codebookSizes;

    /// <summary>Total tokens (the embedding table's rows).</summary>
    public int Size { get; }

    /// <summary>Code tokens over all levels (the output layer's rows).</summary>
    public int CodeTokenCount { get; }

    /// <summary>Whether histories start with a user token.</summary>
    public bool UseUserToken { get; }

    private int UserBuckets { get; }

    private int UserBase { get; }

    /// <summary>The first token of <paramref name="level"/>.</summary>
    public int LevelOffset(int level) => _levelOffsets[level];

    /// <summary>Position of <paramref name="level"/>'s first code among the code tokens (the output layer's row).</summary>
    public int OutputOffset(int level) => _levelOffsets[level] - CodeBase;

    /// <summary>The token of <paramref name="code"/> at <paramref name="level"/>.</summary>
    public long CodeToken(int level, int code) => _levelOffsets[level] + code;

    /// <summary>
    /// The user's token: a multiplicative hash of the index into the buckets (spreads neighbouring indices,
    /// which loaders assign in file order), or the reserved unknown-user token for a negative index.
    /// </summary>
    public long UserToken(int userIndex)
    {
        if (!UseUserToken)
        {
            throw new InvalidOperationException("The model has no user tokens.");
        }

        if (userIndex < 0)
        {
            return UserBase + UserBuckets;
        }

        ulong mixed = unchecked((ulong)(uint)userIndex * 0x9E3779B97F4A7C15UL);
        return UserBase + (long)((mixed >> 17) % (ulong)UserBuckets);
    }

    /// <summary>
    /// Sequence positions a history of <paramref name="items"/> items (at least one slot, as padding keeps) takes in the
    /// network: L code tokens or one vector per item, plus the user token.
    /// </summary>
    public int HistoryTokens(int items, GenerativeInputMode mode) =>
        (Math.Max(1, items) * (mode == GenerativeInputMode.CodeTokens ? Levels : 1)) + (UseUserToken ? 1 : 0);
}
