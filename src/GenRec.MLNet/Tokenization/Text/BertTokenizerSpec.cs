using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.ML.Tokenizers;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// The tokenizer settings of one sentence encoder, serialized into a string that travels as a constant column
/// (made by ML.NET's Expression transform, which saves its expression text in the model). This is how the
/// settings survive <c>mlContext.Model.Save/Load</c>: a CustomMapping saves only its contract name, so a reloaded
/// mapping can learn its vocabulary path, truncation length and casing from nowhere but its input row.
/// </summary>
internal sealed record BertTokenizerSpec(string VocabularyPath, int MaxTokens, bool LowerCase)
{
    // Versioned so a future format change can still read models saved with this one.
    private const string Prefix = "GenRec.Bert/1";

    private static readonly ConcurrentDictionary<string, (BertTokenizerSpec Spec, BertTokenizer Tokenizer)> Tokenizers = new(StringComparer.Ordinal);

    /// <summary>The settings as one string; the path comes last so it may contain the separator.</summary>
    public string Serialize() =>
        string.Join('|', Prefix, MaxTokens.ToString(CultureInfo.InvariantCulture), LowerCase ? "1" : "0", VocabularyPath);

    /// <summary>The serialized settings as a string literal of ML.NET's expression language.</summary>
    public string ToExpressionLiteral() =>
        "\"" + Serialize().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Reads settings written by <see cref="Serialize"/>.</summary>
    public static BertTokenizerSpec Parse(string? text)
    {
        string[] parts = (text ?? string.Empty).Split('|', 4);
        if (parts.Length != 4 || parts[0] != Prefix
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int maxTokens)
            || (parts[2] != "0" && parts[2] != "1"))
        {
            throw new InvalidOperationException($"The tokenizer settings column holds '{text}', which is not a {Prefix} specification; was the model saved by another version of GenRec.MLNet?");
        }

        return new BertTokenizerSpec(parts[3], maxTokens, parts[2] == "1");
    }

    /// <summary>
    /// Tokenizes <paramref name="text"/> into a window of <paramref name="window"/> slots: [CLS] tokens [SEP], truncated
    /// to MaxTokens as Hugging Face's truncation does, then padded with the pad id and mask 0.
    /// </summary>
    public static void Fill(string? spec, string? text, ITokenWindow destination, int window)
    {
        var (settings, tokenizer) = Tokenizers.GetOrAdd(spec ?? string.Empty, Load);
        if (settings.MaxTokens > window)
        {
            throw new InvalidOperationException($"MaxTokens {settings.MaxTokens} does not fit the {window}-token window of this mapping.");
        }

        IReadOnlyList<int> pieces = tokenizer.EncodeToIds(text ?? string.Empty, addSpecialTokens: false);
        int count = Math.Min(pieces.Count, settings.MaxTokens - 2);

        var ids = new long[window];
        var mask = new long[window];
        ids[0] = tokenizer.ClassificationTokenId;
        for (int i = 0; i < count; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[count + 1] = tokenizer.SeparatorTokenId;
        for (int i = count + 2; i < window; i++)
        {
            ids[i] = tokenizer.PaddingTokenId;
        }

        Array.Fill(mask, 1L, 0, count + 2);
        destination.InputIds = ids;
        destination.AttentionMask = mask;
        destination.TokenTypeIds = new long[window];
    }

    private static (BertTokenizerSpec, BertTokenizer) Load(string serialized)
    {
        var spec = Parse(serialized);
        if (!File.Exists(spec.VocabularyPath))
        {
            throw new FileNotFoundException($"The WordPiece vocabulary file '{spec.VocabularyPath}' of this sentence encoder does not exist.", spec.VocabularyPath);
        }

        // Hugging Face's BERT tokenizer strips accents exactly when it lower-cases (strip_accents follows do_lower_case).
        var options = new BertOptions { LowerCaseBeforeTokenization = spec.LowerCase, RemoveNonSpacingMarks = spec.LowerCase };
        var tokenizer = BertTokenizer.Create(spec.VocabularyPath, options);
        return (spec, tokenizer);
    }
}
