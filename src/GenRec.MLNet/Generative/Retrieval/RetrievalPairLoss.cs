using GenRec.MLNet.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Retrieval;

/// <summary>
/// The retrieval losses (<see cref="RetrievalLoss"/>). TokenRec's pairwise cosine loss: for each (prompt, positive item) pair with vector u from the prompt:
/// (1 − cos(u, e_pos)) + Σ_neg max(0, cos(u, e_neg) − γ), averaged over pairs. Positives are pulled all the way to
/// cos = 1, negatives only pushed below the margin γ, so unrelated items are not forced to be anti-aligned.
/// </summary>
internal static class RetrievalPairLoss
{
    /// <param name="promptVectors">Unnormalized prompt outputs [prompts, D].</param>
    /// <param name="pairPrompt">For each pair, the index of its prompt [pairs].</param>
    /// <param name="positives">For each pair, its positive item [pairs].</param>
    /// <param name="negatives">Negative items [pairs × negativesPerPositive], pair-major; ignored when negativesPerPositive is 0.</param>
    /// <param name="negativesPerPositive">Negatives per pair.</param>
    /// <param name="normalizedItems">Unit-length CF item embeddings [items, D] (fixed: never trained).</param>
    /// <param name="margin">γ of the negative hinge.</param>
    public static Tensor Compute(Tensor promptVectors, Tensor pairPrompt, Tensor positives, Tensor negatives, int negativesPerPositive, Tensor normalizedItems, double margin)
    {
        using var scope = NewDisposeScope();
        Tensor u = nn.functional.normalize(promptVectors, p: 2, dim: -1).index_select(0, pairPrompt);
        Tensor positiveCosine = (u * normalizedItems.index_select(0, positives)).sum(-1);
        Tensor loss = positiveCosine.SubtractedFrom(1.0);
        if (negativesPerPositive > 0)
        {
            long pairs = u.shape[0], dimension = u.shape[1];
            Tensor negativeItems = normalizedItems.index_select(0, negatives).view(pairs, negativesPerPositive, dimension);
            Tensor negativeCosine = (negativeItems * u.unsqueeze(1)).sum(-1);
            loss = loss.Plus(nn.functional.relu(negativeCosine.Minus(margin)).sum(-1));
        }

        return loss.mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Cross-entropy of each pair's positive item among all items, averaged over pairs, on similarity / <paramref name="temperature"/>:
    /// cos(u, e_item) for <see cref="RetrievalSimilarity.Cosine"/>, u · e_item with the prompt vectors as they are for
    /// <see cref="RetrievalSimilarity.DotProduct"/>.
    /// </summary>
    /// <param name="promptVectors">Unnormalized prompt outputs [prompts, D].</param>
    /// <param name="pairPrompt">For each pair, the index of its prompt [pairs].</param>
    /// <param name="positives">For each pair, its positive item [pairs].</param>
    /// <param name="scoringItems">CF item embeddings [items, D] as <see cref="RetrievalInputs.ScoringItems"/> prepares them for <paramref name="similarity"/> (fixed: never trained).</param>
    /// <param name="similarity">Cosine or dot product.</param>
    /// <param name="temperature">τ: logits are similarities / τ.</param>
    /// <param name="excludedLogits">
    /// Optional flat indices (pair × items + item) of logits left out of the softmax, e.g. the user's other known
    /// items, which are not negatives; a pair's positive must not be among them.
    /// </param>
    public static Tensor ComputeSoftmax(Tensor promptVectors, Tensor pairPrompt, Tensor positives, Tensor scoringItems, RetrievalSimilarity similarity, double temperature, Tensor? excludedLogits = null)
    {
        using var scope = NewDisposeScope();
        Tensor u = RetrievalInputs.ScoringRequests(promptVectors, similarity).index_select(0, pairPrompt);
        Tensor logits = u.matmul(scoringItems.t()).DividedBy(temperature);
        if (excludedLogits is not null)
        {
            Tensor mask = zeros(logits.numel(), ScalarType.Bool, device: logits.device).FillAt(excludedLogits, true).view(logits.shape);
            logits = logits.FillWhere(mask, double.NegativeInfinity);
        }

        return nn.functional.cross_entropy(logits, positives).MoveToOuterDisposeScope();
    }
}
