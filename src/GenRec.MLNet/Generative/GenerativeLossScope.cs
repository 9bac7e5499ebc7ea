namespace GenRec.MLNet.Generative;

/// <summary>
/// Which code tokens the softmax of each generation step normalizes over, in the training loss and in the scores
/// beam search sums.
/// </summary>
public enum GenerativeLossScope
{
    /// <summary>
    /// Level l's codes only: the step that predicts the l-th code competes only with the other codes of level l.
    /// The cheaper form (1/L of the output layer's work per step), and the library's default.
    /// </summary>
    Level = 0,

    /// <summary>
    /// Every code token of every level, as in LETTER's ranking-guided loss, whose softmax runs over the T5 vocabulary
    /// that holds all the code tokens. (LETTER's vocabulary also holds T5's text tokens; ours holds code tokens only.)
    /// Tokens of other levels act as extra negatives; decoding still picks only the current level's tokens.
    /// </summary>
    WholeVocabulary = 1,
}
