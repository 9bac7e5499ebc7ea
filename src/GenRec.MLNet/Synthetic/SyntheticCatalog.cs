using GenRec.MLNet.Data;

namespace GenRec.MLNet.Synthetic;

/// <summary>
/// A generated catalog: the interaction data plus the ground truth that produced it (taxonomy, item categories,
/// designated successor items, user preferences), so tests can check what models and tokenizers recover.
/// </summary>
public sealed class SyntheticCatalog
{
    private readonly int _subcategoriesPerCategory;

    internal SyntheticCatalog(
        SyntheticCatalogOptions options,
        InteractionDataset dataset,
        string[] categoryNames,
        string[] subcategoryNames,
        int[] itemCategory,
        int[] itemSubcategory,
        string[] itemTitles,
        int[] itemPopularityRank,
        int[][] itemSuccessors,
        int[][] userPreferredCategories)
    {
        Options = options;
        Dataset = dataset;
        CategoryNames = categoryNames;
        SubcategoryNames = subcategoryNames;
        ItemCategory = itemCategory;
        ItemSubcategory = itemSubcategory;
        ItemTitles = itemTitles;
        ItemPopularityRank = itemPopularityRank;
        ItemSuccessors = itemSuccessors;
        UserPreferredCategories = userPreferredCategories;
        _subcategoriesPerCategory = options.SubcategoriesPerCategory;
    }

    /// <summary>A copy of the options the catalog was generated with.</summary>
    public SyntheticCatalogOptions Options { get; }

    /// <summary>The interactions (users in order, each user's events chronological), with timestamps and item text.</summary>
    public InteractionDataset Dataset { get; }

    /// <summary>Category names; position = category index.</summary>
    public IReadOnlyList<string> CategoryNames { get; }

    /// <summary>
    /// Subcategory names (e.g. "Moisturizers"); position = global subcategory index
    /// = category × SubcategoriesPerCategory + local index.
    /// </summary>
    public IReadOnlyList<string> SubcategoryNames { get; }

    /// <summary>Category index of each item; position = item index.</summary>
    public IReadOnlyList<int> ItemCategory { get; }

    /// <summary>Global subcategory index of each item; position = item index.</summary>
    public IReadOnlyList<int> ItemSubcategory { get; }

    /// <summary>Title of each item (brand, attribute words, subcategory noun); position = item index.</summary>
    public IReadOnlyList<string> ItemTitles { get; }

    /// <summary>Hidden popularity rank of each item (0 = highest sampling weight); position = item index.</summary>
    public IReadOnlyList<int> ItemPopularityRank { get; }

    /// <summary>Designated successors of each item, most likely first (all in the item's subcategory).</summary>
    public IReadOnlyList<IReadOnlyList<int>> ItemSuccessors { get; }

    /// <summary>Preferred categories (1 or 2) of each user; position = user index.</summary>
    public IReadOnlyList<IReadOnlyList<int>> UserPreferredCategories { get; }

    /// <summary>Category index of a global subcategory index.</summary>
    /// <param name="subcategory">Global subcategory index.</param>
    public int CategoryOfSubcategory(int subcategory)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)subcategory, (uint)SubcategoryNames.Count, nameof(subcategory));
        return subcategory / _subcategoriesPerCategory;
    }

    /// <summary>Taxonomy path of a global subcategory, e.g. "Skincare &gt; Moisturizers".</summary>
    /// <param name="subcategory">Global subcategory index.</param>
    public string SubcategoryPath(int subcategory) => $"{CategoryNames[CategoryOfSubcategory(subcategory)]} > {SubcategoryNames[subcategory]}";

    /// <inheritdoc />
    public override string ToString() =>
        $"Synthetic catalog: {Dataset}, {CategoryNames.Count} categories, {SubcategoryNames.Count} subcategories (seed {Options.Seed})";
}
