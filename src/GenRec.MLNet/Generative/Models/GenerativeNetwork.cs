using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Models;

/// <summary>
/// What training and beam search need from a generative network, whatever its layout: a teacher-forced loss,
/// and an incremental decoding protocol — start from a batch of histories (one row per user), get level-l
/// log-probabilities for every row, then advance the rows to the chosen (parent row, code) pairs.
/// </summary>
internal abstract class GenerativeNetwork : nn.Module
{
    protected GenerativeNetwork(string name, GenerativeVocabulary vocabulary) : base(name)
    {
        Vocabulary = vocabulary;
    }

    /// <summary>The token layout.</summary>
    public GenerativeVocabulary Vocabulary { get; }

    /// <summary>
    /// Mean cross-entropy over levels and predicted items of logits / <paramref name="temperature"/>.
    /// <paramref name="targetItems"/>: [B] the next item (+1) of each history for encoder-decoder; ignored by
    /// decoder-only networks, which read <see cref="HistoryInputs.NextItems"/>.
    /// </summary>
    public abstract Tensor ComputeLoss(HistoryInputs inputs, ItemTokenTable table, Tensor? targetItems, double temperature);

    /// <summary>Runs the history side once and returns the state of one row per history (group size 1).</summary>
    /// <param name="inputs">The histories.</param>
    /// <param name="table">Item → token table.</param>
    /// <param name="useCache">Encoder-decoder: cache decoder keys/values (true) or recompute the decoded prefix each step.</param>
    public abstract DecodingState StartDecoding(HistoryInputs inputs, ItemTokenTable table, bool useCache);

    /// <summary>Log-probabilities over level <paramref name="level"/>'s codes for every row [rows, codebookSize].</summary>
    public abstract Tensor NextLogProbs(DecodingState state, int level);

    /// <summary>
    /// Continues decoding from rows <paramref name="parentRows"/> [newRows] (group-major: a group's new rows come
    /// from its own old rows) with the chosen code tokens <paramref name="tokens"/> [newRows].
    /// </summary>
    public abstract void Advance(DecodingState state, Tensor parentRows, Tensor tokens, int newGroupSize);
}
