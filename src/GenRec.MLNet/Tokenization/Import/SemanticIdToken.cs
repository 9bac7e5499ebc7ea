using System.Globalization;

namespace GenRec.MLNet.Tokenization;

/// <summary>
/// The LETTER / TIGER text form of one code, <c>&lt;x_N&gt;</c>: the letter names the level (a = 0, b = 1, ...) and
/// N is the code on that level. Matches <see cref="SemanticIdTable.Format"/>.
/// </summary>
internal static class SemanticIdToken
{
    /// <summary>Letters a..z name the levels, so a token can name at most 26 levels.</summary>
    public const int MaxLevels = 26;

    /// <summary>The token of <paramref name="code"/> at <paramref name="level"/>, e.g. <c>&lt;b_70&gt;</c>.</summary>
    public static string Format(int level, int code) =>
        $"<{(char)('a' + level)}_{code.ToString(CultureInfo.InvariantCulture)}>";

    /// <summary>
    /// Parses a token expected at position <paramref name="level"/>; on failure returns false and says why in
    /// <paramref name="problem"/> (malformed token, or a level letter out of order).
    /// </summary>
    public static bool TryParse(string token, int level, out int code, out string problem)
    {
        code = -1;
        // Strict on purpose: a lenient reader would accept "<a_-1>" or "<a_ 3>" and turn a corrupt file into codes.
        bool shaped = token.Length >= 5
            && token[0] == '<'
            && token[1] is >= 'a' and <= 'z'
            && token[2] == '_'
            && token[^1] == '>';
        if (!shaped || !int.TryParse(token.AsSpan(3, token.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            problem = $"\"{token}\" is not a code token of the form <x_N> (x a level letter a..z, N a non-negative integer).";
            return false;
        }

        char expected = (char)('a' + level);
        if (token[1] != expected)
        {
            problem = $"code {level + 1} is \"{token}\" but must be on level '{expected}' (levels are lettered a, b, c, ... in order).";
            code = -1;
            return false;
        }

        problem = string.Empty;
        return true;
    }
}
