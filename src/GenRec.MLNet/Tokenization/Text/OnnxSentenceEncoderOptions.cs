namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Options of <see cref="ContentVectorizers.OnnxSentenceEncoder"/>: a BERT-family sentence encoder exported to ONNX
/// (e.g. a sentence-transformers model exported with Hugging Face Optimum), run by ML.NET's ONNX transformer.
/// The defaults match such exports: inputs <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c>
/// and output <c>last_hidden_state</c> with mean pooling.
/// </summary>
public sealed class OnnxSentenceEncoderOptions
{
    /// <summary>Path of the ONNX model file. Its bytes are embedded in a saved ML.NET model.</summary>
    public string ModelPath = string.Empty;

    /// <summary>
    /// Path of the model's WordPiece vocabulary (<c>vocab.txt</c>, one token per line). A saved ML.NET model refers to
    /// it by its full path, so the file must still be there where the model is loaded.
    /// </summary>
    public string VocabularyPath = string.Empty;

    /// <summary>
    /// Most tokens per text, [CLS] and [SEP] included (2 to 512); longer texts are truncated. Tensors are padded to
    /// the next of 16, 32, 64, 128, 256, 512, with the padding masked out, because ML.NET needs fixed-size vectors.
    /// </summary>
    public int MaxTokens = 128;

    /// <summary>Lower-case text before WordPiece, as "uncased" models (e.g. all-MiniLM-L6-v2) expect.</summary>
    public bool LowerCase = true;

    /// <summary>Name of the model's token-id input; fed only if the model declares it.</summary>
    public string InputIdsName = "input_ids";

    /// <summary>Name of the model's attention-mask input; fed only if the model declares it.</summary>
    public string AttentionMaskName = "attention_mask";

    /// <summary>Name of the model's segment-id input (all zeros for one sentence); fed only if the model declares it.</summary>
    public string TokenTypeIdsName = "token_type_ids";

    /// <summary>
    /// Name of the model output to read: per-token states such as <c>last_hidden_state</c> or <c>token_embeddings</c>
    /// (with <see cref="SentencePooling.Mean"/> or <see cref="SentencePooling.Cls"/>), or an already pooled output
    /// such as <c>sentence_embedding</c> (with <see cref="SentencePooling.None"/>).
    /// </summary>
    public string OutputName = "last_hidden_state";

    /// <summary>How per-token states become one vector per text.</summary>
    public SentencePooling Pooling = SentencePooling.Mean;

    /// <summary>Scale each sentence vector to unit L2 length, so dot products are cosine similarities.</summary>
    public bool Normalize = true;

    /// <summary>Throws for missing files or invalid values; file errors are <see cref="FileNotFoundException"/> naming the path.</summary>
    internal void Validate()
    {
        RequireFile(ModelPath, nameof(ModelPath), "ONNX model");
        RequireFile(VocabularyPath, nameof(VocabularyPath), "WordPiece vocabulary");
        if (MaxTokens < 2 || MaxTokens > BertTokenWindows.LongestWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, $"MaxTokens must be 2 to {BertTokenWindows.LongestWindow}: [CLS] and [SEP] take two places.");
        }

        RequireName(InputIdsName, nameof(InputIdsName));
        RequireName(AttentionMaskName, nameof(AttentionMaskName));
        RequireName(TokenTypeIdsName, nameof(TokenTypeIdsName));
        RequireName(OutputName, nameof(OutputName));
    }

    private static void RequireFile(string path, string name, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{name} must name the {what} file.", name);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The {what} file '{path}' ({name}) does not exist.", path);
        }
    }

    private static void RequireName(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} must not be empty.", name);
        }
    }
}
