namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// What collision handling found and did. A collision rate is (items − distinct IDs) / items, the share of items that
/// would have to move for every ID to be unique (LETTER's definition).
/// </summary>
public sealed record RqVaeCollisionReport
{
    /// <summary>The handling that was applied.</summary>
    public CollisionHandling Handling { get; init; }

    /// <summary>Collision rate of the quantizer's codes.</summary>
    public double CollisionRateBefore { get; init; }

    /// <summary>Collision rate of the final codes (0 unless <see cref="CollisionHandling.None"/>).</summary>
    public double CollisionRateAfter { get; init; }

    /// <summary>Sinkhorn: collision rate when the Sinkhorn rounds ended, before the greedy fallback (what LETTER's procedure alone leaves).</summary>
    public double CollisionRateAfterSinkhorn { get; init; }

    /// <summary>Sinkhorn: rounds run (stops early once no collision is left, or after a round that moved no item).</summary>
    public int SinkhornRoundsUsed { get; init; }

    /// <summary>Items whose last-level code was changed.</summary>
    public int ItemsReassigned { get; init; }

    /// <summary>Sinkhorn: items the greedy nearest-free-code fallback placed after the rounds.</summary>
    public int ItemsPlacedByFallback { get; init; }

    /// <summary>Whether a numbering level was appended (always for <see cref="CollisionHandling.ExtraLevel"/>; for Sinkhorn only when a prefix had more items than codes).</summary>
    public bool ExtraLevelAppended { get; init; }

    /// <summary>Most items that shared one ID before handling.</summary>
    public int LargestCollisionGroup { get; init; }
}
