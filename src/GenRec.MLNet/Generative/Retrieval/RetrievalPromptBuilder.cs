using GenRec.MLNet.Tokenization;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// Turns (user, history items) into prompt token rows: [PROMPT, user way 1 … user way K, then one token per (history
/// item, way)], right-padded with PAD. Every way of the user tokenizer and of the item tokenizer has its own range of
/// the vocabulary, so a token names its way and code and no position embedding is needed: the encoder sees the prompt
/// as an unordered multiset, which is what an unordered history is. The PROMPT token is always present, so no row is
/// empty (an all-padding attention row would be NaN) even for a user without history and without user tokens.
/// </summary>
internal sealed class RetrievalPromptBuilder
{
    /// <summary>Padding token (masked out of attention and pooling).</summary>
    public const long PadToken = 0;

    /// <summary>The token every prompt starts with.</summary>
    public const long PromptToken = 1;

    private readonly SemanticIdTable? _userCodes;
    private readonly SemanticIdTable? _itemCodes;
    private readonly int[] _userOffsets;
    private readonly int[] _itemOffsets;

    public RetrievalPromptBuilder(SemanticIdTable? userCodes, SemanticIdTable? itemCodes, int maxHistoryItems)
    {
        _userCodes = userCodes;
        _itemCodes = itemCodes;
        MaxHistoryLength = maxHistoryItems;
        int next = 2;
        _userOffsets = Offsets(userCodes, ref next);
        UserTokenLimit = next;
        _itemOffsets = Offsets(itemCodes, ref next);
        VocabularySize = next;
    }

    /// <summary>One past the largest user token id (user tokens come right after PAD and PROMPT).</summary>
    public int UserTokenLimit { get; }

    /// <summary>PAD, PROMPT and every code of every way in use.</summary>
    public int VocabularySize { get; }

    /// <summary>The most history items in one prompt.</summary>
    public int MaxHistoryLength { get; }

    /// <summary>Tokens a user contributes (0 when user tokens are off).</summary>
    public int UserTokens => _userOffsets.Length;

    /// <summary>Tokens each history item contributes (0 when history tokens are off).</summary>
    public int TokensPerItem => _itemOffsets.Length;

    /// <summary>Prompt length for a history of <paramref name="historyItems"/> items.</summary>
    public int Length(int historyItems) => 1 + UserTokens + TokensPerItem * historyItems;

    /// <summary>
    /// Row-major [prompts × length] tokens for the given users and (already capped) histories; length is the longest
    /// prompt. <paramref name="histories"/>[i] is ignored when history tokens are off.
    /// </summary>
    public long[] Build(IReadOnlyList<int> users, IReadOnlyList<int[]> histories, out int length)
    {
        length = 1;
        for (int i = 0; i < users.Count; i++)
        {
            length = Math.Max(length, Length(TokensPerItem > 0 ? histories[i].Length : 0));
        }

        var tokens = new long[users.Count * length]; // zero = PAD
        for (int i = 0; i < users.Count; i++)
        {
            Write(tokens.AsSpan(i * length, length), users[i], TokensPerItem > 0 ? histories[i] : Array.Empty<int>());
        }

        return tokens;
    }

    /// <summary>Row-major prompts of the given users with no history items: PROMPT and the user's tokens (what the user-code decoder reads).</summary>
    public long[] BuildUserOnly(IReadOnlyList<int> users, out int length) =>
        Build(users, Enumerable.Repeat(Array.Empty<int>(), users.Count).ToArray(), out length);

    /// <summary>
    /// The history a prompt uses at inference: the last <see cref="MaxHistoryLength"/> distinct items of
    /// <paramref name="history"/> (oldest first), or nothing when history tokens are off.
    /// </summary>
    public int[] InferenceHistory(int[] history)
    {
        if (TokensPerItem == 0 || history.Length == 0)
        {
            return Array.Empty<int>();
        }

        var seen = new HashSet<int>();
        var picked = new List<int>(Math.Min(MaxHistoryLength, history.Length));
        for (int i = history.Length - 1; i >= 0 && picked.Count < MaxHistoryLength; i--)
        {
            if (seen.Add(history[i]))
            {
                picked.Add(history[i]);
            }
        }

        picked.Reverse();
        return picked.ToArray();
    }

    private void Write(Span<long> row, int user, int[] history)
    {
        row[0] = PromptToken;
        int position = 1;
        if (_userCodes is not null)
        {
            ReadOnlySpan<int> codes = _userCodes[user];
            for (int way = 0; way < codes.Length; way++)
            {
                row[position++] = _userOffsets[way] + codes[way];
            }
        }

        if (_itemCodes is not null)
        {
            foreach (int item in history)
            {
                ReadOnlySpan<int> codes = _itemCodes[item];
                for (int way = 0; way < codes.Length; way++)
                {
                    row[position++] = _itemOffsets[way] + codes[way];
                }
            }
        }
    }

    private static int[] Offsets(SemanticIdTable? table, ref int next)
    {
        if (table is null)
        {
            return Array.Empty<int>();
        }

        var offsets = new int[table.Levels];
        for (int way = 0; way < table.Levels; way++)
        {
            offsets[way] = next;
            next += table.CodebookSizes[way];
        }

        return offsets;
    }
}
