namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>What the RQ-VAE trainer does, after training, about items that received the same semantic ID.</summary>
public enum CollisionHandling
{
    /// <summary>Keep the quantizer's codes as they are; items may share an ID.</summary>
    None = 0,

    /// <summary>
    /// TIGER: append one level that numbers the items sharing an ID (0, 1, 2, ...), so every ID is unique. The
    /// extra level's codebook size is the largest number of items that shared one ID (at least 1).
    /// </summary>
    ExtraLevel = 1,

    /// <summary>
    /// LETTER: re-assign colliding items on the last level to codes still free under their prefix, using a
    /// Sinkhorn-balanced assignment over their distances to the last-level codebook, for up to
    /// <see cref="RqVaeOptions.SinkhornRounds"/> rounds. What the rounds leave colliding is then placed greedily on
    /// the nearest free codes, and an extra numbering level is appended only when a prefix has more items than codes
    /// — so IDs are always unique.
    /// </summary>
    SinkhornReassign = 2,
}
