namespace GenRec.MLNet.Generative;

/// <summary>One semantic ID produced by beam search.</summary>
/// <param name="Codes">One code per level.</param>
/// <param name="Score">Sum of the per-level log-probabilities (higher is better).</param>
/// <param name="Items">The items that carry this ID, in emission order; empty when the ID belongs to no item (only possible without the trie constraint).</param>
public sealed record GeneratedId(int[] Codes, float Score, IReadOnlyList<int> Items)
{
    /// <summary>Whether the ID belongs to at least one item.</summary>
    public bool IsValid => Items.Count > 0;
}
