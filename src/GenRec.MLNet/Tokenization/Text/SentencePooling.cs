namespace GenRec.MLNet.Tokenization.Text;

/// <summary>How <see cref="ContentVectorizers.OnnxSentenceEncoder"/> turns the encoder's output into one vector per text.</summary>
public enum SentencePooling
{
    /// <summary>
    /// Average of the per-token vectors of an output shaped [batch, sequence, hidden] over the real tokens only
    /// (attention mask 1, [CLS] and [SEP] included, padding excluded): what sentence-transformers models such as
    /// all-MiniLM-L6-v2 were trained with.
    /// </summary>
    Mean,

    /// <summary>The vector of the first token ([CLS]) of an output shaped [batch, sequence, hidden].</summary>
    Cls,

    /// <summary>The output is already one vector per text, shaped [batch, hidden] (e.g. a <c>sentence_embedding</c> output).</summary>
    None,
}
