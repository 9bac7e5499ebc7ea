using Microsoft.ML.Data;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Row types of the WordPiece tokenization step. ML.NET's ONNX transformer accepts only fixed-size vectors, and a
/// CustomMapping's output size comes from <see cref="VectorTypeAttribute"/> — a compile-time constant that is all a
/// reloaded model knows. Hence one row type (and one CustomMapping contract) per window length.
/// </summary>
internal static class BertTokenWindows
{
    /// <summary>Internal column carrying the text to tokenize.</summary>
    public const string TextColumn = "GenRec.Bert.Text";

    /// <summary>Internal column carrying the serialized tokenizer settings (see <see cref="BertTokenizerSpec"/>).</summary>
    public const string SpecColumn = "GenRec.Bert.Spec";

    /// <summary>Internal column of token ids (int64, padded).</summary>
    public const string InputIdsColumn = "GenRec.Bert.InputIds";

    /// <summary>Internal column of the attention mask (1 for real tokens, 0 for padding).</summary>
    public const string AttentionMaskColumn = "GenRec.Bert.AttentionMask";

    /// <summary>Internal column of segment ids (all 0: one sentence).</summary>
    public const string TokenTypeIdsColumn = "GenRec.Bert.TokenTypeIds";

    /// <summary>The longest supported window.</summary>
    public const int LongestWindow = 512;

    /// <summary>Supported window lengths, ascending; each has a row type and a factory below.</summary>
    public static readonly int[] Lengths = { 16, 32, 64, 128, 256, LongestWindow };

    /// <summary>The shortest supported window that holds <paramref name="maxTokens"/> tokens.</summary>
    public static int WindowFor(int maxTokens) => Lengths.First(length => length >= maxTokens);
}

/// <summary>Input row of the tokenization CustomMapping.</summary>
internal sealed class BertTokenizerInput
{
    [ColumnName(BertTokenWindows.TextColumn)]
    public string? Text { get; set; }

    [ColumnName(BertTokenWindows.SpecColumn)]
    public string? Spec { get; set; }
}

/// <summary>Output row of the tokenization CustomMapping, whatever its window length.</summary>
internal interface ITokenWindow
{
    long[] InputIds { get; set; }

    long[] AttentionMask { get; set; }

    long[] TokenTypeIds { get; set; }
}

internal sealed class TokenWindow16 : ITokenWindow
{
    [ColumnName(BertTokenWindows.InputIdsColumn), VectorType(16)]
    public long[] InputIds { get; set; } = new long[16];

    [ColumnName(BertTokenWindows.AttentionMaskColumn), VectorType(16)]
    public long[] AttentionMask { get; set; } = new long[16];

    [ColumnName(BertTokenWindows.TokenTypeIdsColumn), VectorType(16)]
    public long[] TokenTypeIds { get; set; } = new long[16];
}

internal sealed class TokenWindow32 : ITokenWindow
{
    [ColumnName(BertTokenWindows.InputIdsColumn), VectorType(32)]
    public long[] InputIds { get; set; } = new long[32];

    [ColumnName(BertTokenWindows.AttentionMaskColumn), VectorType(32)]
    public long[] AttentionMask { get; set; } = new long[32];

    [ColumnName(BertTokenWindows.TokenTypeIdsColumn), VectorType(32)]
    public long[] TokenTypeIds { get; set; } = new long[32];
}

internal sealed class TokenWindow64 : ITokenWindow
{
    [ColumnName(BertTokenWindows.InputIdsColumn), VectorType(64)]
    public long[] InputIds { get; set; } = new long[64];

    [ColumnName(BertTokenWindows.AttentionMaskColumn), VectorType(64)]
    public long[] AttentionMask { get; set; } = new long[64];

    [ColumnName(BertTokenWindows.TokenTypeIdsColumn), VectorType(64)]
    public long[] TokenTypeIds { get; set; } = new long[64];
}

internal sealed class TokenWindow128 : ITokenWindow
{
    [ColumnName(BertTokenWindows.InputIdsColumn), VectorType(128)]
    public long[] InputIds { get; set; } = new long[128];

    [ColumnName(BertTokenWindows.AttentionMaskColumn), VectorType(128)]
    public long[] AttentionMask { get; set; } = new long[128];

    [ColumnName(BertTokenWindows.TokenTypeIdsColumn), VectorType(128)]
    public long[] TokenTypeIds { get; set; } = new long[128];
}

internal sealed class TokenWindow256 : ITokenWindow
{
    [ColumnName(BertTokenWindows.InputIdsColumn), VectorType(256)]
    public long[] InputIds { get; set; } = new long[256];

    [ColumnName(BertTokenWindows.AttentionMaskColumn), VectorType(256)]
    public long[] AttentionMask { get; set; } = new long[256];

    [ColumnName(BertTokenWindows.TokenTypeIdsColumn), VectorType(256)]
    public long[] TokenTypeIds { get; set; } = new long[256];
}

internal sealed class TokenWindow512 : ITokenWindow
{
    [ColumnName(BertTokenWindows.InputIdsColumn), VectorType(512)]
    public long[] InputIds { get; set; } = new long[512];

    [ColumnName(BertTokenWindows.AttentionMaskColumn), VectorType(512)]
    public long[] AttentionMask { get; set; } = new long[512];

    [ColumnName(BertTokenWindows.TokenTypeIdsColumn), VectorType(512)]
    public long[] TokenTypeIds { get; set; } = new long[512];
}
