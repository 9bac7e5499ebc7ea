namespace GenRec.MLNet.Synthetic;

/// <summary>
/// Settings for <see cref="SyntheticCatalogGenerator"/>. The defaults give a small shop-like catalog
/// (2,000 users, 1,000 items, ~35,000 interactions) that trains in seconds and has structure a sequential
/// model can learn. docs/demo-data.md describes exactly how each setting is used.
/// </summary>
public sealed class SyntheticCatalogOptions
{
    /// <summary>Number of users (one sequence each). At least 1.</summary>
    public int UserCount = 2000;

    /// <summary>Number of items. At least CategoryCount × SubcategoriesPerCategory (every subcategory gets an item) and at least MaxSequenceLength.</summary>
    public int ItemCount = 1000;

    /// <summary>Number of top-level categories, 1 to 12 (the built-in word lists define 12).</summary>
    public int CategoryCount = 8;

    /// <summary>Subcategories per category, 1 to 6 (the built-in word lists define 6 per category).</summary>
    public int SubcategoriesPerCategory = 4;

    /// <summary>Shortest user sequence. At least 1.</summary>
    public int MinSequenceLength = 5;

    /// <summary>Longest user sequence; lengths are uniform in [MinSequenceLength, MaxSequenceLength]. At most ItemCount, because a user never repeats an item.</summary>
    public int MaxSequenceLength = 30;

    /// <summary>
    /// Zipf-like popularity skew: the item with global popularity rank r (0-based) has sampling weight (r + 1)^-PopularityExponent.
    /// 0 = uniform; larger = more skewed. Must be finite and non-negative.
    /// </summary>
    public double PopularityExponent = 1.0;

    /// <summary>Probability that a category step picks one of the user's preferred categories rather than another category. In [0, 1].</summary>
    public double CategoryAffinity = 0.8;

    /// <summary>Probability that a non-noise step follows a designated successor of the previous item (a within-subcategory transition). In [0, 1].</summary>
    public double TransitionStrength = 0.5;

    /// <summary>Probability that a step is a uniformly random item from the whole catalog. In [0, 1].</summary>
    public double Noise = 0.05;

    /// <summary>Designated successors per item (drawn from its own subcategory); 0 disables transitions. 0 to 16.</summary>
    public int SuccessorsPerItem = 3;

    /// <summary>Seed of the generator's own PRNG; the same options always give the same catalog.</summary>
    public int Seed = 42;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid field.</summary>
    internal void Validate()
    {
        Require(UserCount >= 1, nameof(UserCount), UserCount, "must be at least 1");
        Require(CategoryCount >= 1 && CategoryCount <= SyntheticVocabulary.Categories.Count, nameof(CategoryCount), CategoryCount,
            $"must be between 1 and {SyntheticVocabulary.Categories.Count} (the number of built-in categories)");
        Require(SubcategoriesPerCategory >= 1 && SubcategoriesPerCategory <= SyntheticVocabulary.MaxSubcategories, nameof(SubcategoriesPerCategory),
            SubcategoriesPerCategory, $"must be between 1 and {SyntheticVocabulary.MaxSubcategories} (the built-in subcategories per category)");
        Require(ItemCount >= CategoryCount * SubcategoriesPerCategory, nameof(ItemCount), ItemCount,
            $"must be at least CategoryCount × SubcategoriesPerCategory = {CategoryCount * SubcategoriesPerCategory} so every subcategory has an item");
        Require(MinSequenceLength >= 1, nameof(MinSequenceLength), MinSequenceLength, "must be at least 1");
        Require(MaxSequenceLength >= MinSequenceLength, nameof(MaxSequenceLength), MaxSequenceLength, $"must be at least MinSequenceLength ({MinSequenceLength})");
        Require(MaxSequenceLength <= ItemCount, nameof(MaxSequenceLength), MaxSequenceLength,
            $"must be at most ItemCount ({ItemCount}) because users never repeat an item");
        Require(double.IsFinite(PopularityExponent) && PopularityExponent >= 0, nameof(PopularityExponent), PopularityExponent, "must be finite and non-negative");
        RequireProbability(CategoryAffinity, nameof(CategoryAffinity));
        RequireProbability(TransitionStrength, nameof(TransitionStrength));
        RequireProbability(Noise, nameof(Noise));
        Require(SuccessorsPerItem >= 0 && SuccessorsPerItem <= 16, nameof(SuccessorsPerItem), SuccessorsPerItem, "must be between 0 and 16");
    }

    /// <summary>A copy, so a generated catalog keeps the settings it was made with even if the caller mutates theirs.</summary>
    internal SyntheticCatalogOptions Clone() => (SyntheticCatalogOptions)MemberwiseClone();

    private static void RequireProbability(double value, string field) =>
        Require(value >= 0 && value <= 1, field, value, "must be a probability in [0, 1]");

    private static void Require(bool condition, string field, object value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(SyntheticCatalogOptions)}.{field} {rule}; got {value}.");
        }
    }
}
