namespace GenRec.MLNet.Generative;

/// <summary>
/// How often an <em>unconstrained</em> beam search would generate IDs that belong to no item — the failure that
/// the prefix trie rules out. Constrained decoding (what recommendations use) always has zero invalid IDs.
/// </summary>
/// <param name="Users">Requests decoded.</param>
/// <param name="Beams">Finished beams over all requests.</param>
/// <param name="InvalidBeams">Beams whose ID is not an item.</param>
/// <param name="InvalidTopBeams">Requests whose best beam is not an item.</param>
public readonly record struct InvalidIdReport(int Users, int Beams, int InvalidBeams, int InvalidTopBeams)
{
    /// <summary>InvalidBeams / Beams (0 when there are no beams).</summary>
    public double InvalidRate => Beams == 0 ? 0 : (double)InvalidBeams / Beams;
}
