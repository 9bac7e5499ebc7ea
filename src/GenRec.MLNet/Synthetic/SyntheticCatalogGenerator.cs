using System.Globalization;
using GenRec.MLNet.Data;

namespace GenRec.MLNet.Synthetic;

/// <summary>
/// Generates a deterministic, seeded shop-like catalog with learnable structure (category preferences,
/// popularity skew, within-subcategory next-item transitions), so the library can be demonstrated and tested
/// without shipping real datasets. The process is documented step by step in docs/demo-data.md.
/// </summary>
public static class SyntheticCatalogGenerator
{
    /// <summary>Unix time (seconds) of the earliest possible first interaction: 2023-11-14 22:13:20 UTC.</summary>
    public const long BaseTimestamp = 1_700_000_000;

    private const int SecondsPerDay = 86_400;
    private const int MinGapSeconds = 60;
    private const int MaxGapSeconds = 3 * SecondsPerDay;

    /// <summary>Generates a catalog; the same options (including <see cref="SyntheticCatalogOptions.Seed"/>) always give the same result.</summary>
    /// <param name="options">Settings; null means all defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names the field).</exception>
    public static SyntheticCatalog Generate(SyntheticCatalogOptions? options = null)
    {
        options = (options ?? new SyntheticCatalogOptions()).Clone();
        options.Validate();
        var rng = new SyntheticRandom(options.Seed);
        int categoryCount = options.CategoryCount;
        int perCategory = options.SubcategoriesPerCategory;
        int subcategoryCount = categoryCount * perCategory;
        int itemCount = options.ItemCount;

        // 1. Taxonomy: the first CategoryCount built-in categories, each with its first SubcategoriesPerCategory subcategories.
        var categoryNames = new string[categoryCount];
        var subcategoryNames = new string[subcategoryCount];
        for (int c = 0; c < categoryCount; c++)
        {
            categoryNames[c] = SyntheticVocabulary.Categories[c].Name;
            for (int s = 0; s < perCategory; s++)
            {
                subcategoryNames[(c * perCategory) + s] = SyntheticVocabulary.Categories[c].Subcategories[s].Name;
            }
        }

        // 2. Items to subcategories: round-robin (balanced sizes), then shuffled so item indices carry no category information.
        var itemSubcategory = new int[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            itemSubcategory[i] = i % subcategoryCount;
        }

        rng.Shuffle(itemSubcategory);
        var itemCategory = new int[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            itemCategory[i] = itemSubcategory[i] / perCategory;
        }

        // 3. Popularity: a random permutation gives each item a global rank r and weight (r + 1)^-PopularityExponent.
        var popularityRank = new int[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            popularityRank[i] = i;
        }

        rng.Shuffle(popularityRank);
        var weights = new double[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            weights[i] = Math.Pow(popularityRank[i] + 1, -options.PopularityExponent);
        }

        // 4. Titles and item text.
        string[] titles = BuildTitles(rng, itemCategory, itemSubcategory, perCategory);
        var itemText = new string?[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            itemText[i] = $"{titles[i]} | {categoryNames[itemCategory[i]]} > {subcategoryNames[itemSubcategory[i]]}";
        }

        // 5. Designated successors within each subcategory.
        int[][] successors = BuildSuccessors(rng, itemSubcategory, subcategoryCount, options.SuccessorsPerItem);

        // 6. Users.
        var categoryItemsByRank = new int[categoryCount][];
        for (int c = 0; c < categoryCount; c++)
        {
            int category = c;
            categoryItemsByRank[c] = [.. Enumerable.Range(0, itemCount).Where(i => itemCategory[i] == category).OrderBy(i => popularityRank[i])];
        }

        var sampler = new SyntheticSequenceSampler(rng, options, successors, categoryItemsByRank, weights);
        var preferences = new int[options.UserCount][];
        var userIndices = new List<int>();
        var itemIndices = new List<int>();
        var timestamps = new List<long>();
        for (int u = 0; u < options.UserCount; u++)
        {
            preferences[u] = sampler.DrawPreferredCategories();
            int length = options.MinSequenceLength + rng.Next(options.MaxSequenceLength - options.MinSequenceLength + 1);
            long time = BaseTimestamp + rng.Next(365 * SecondsPerDay);
            foreach (int item in sampler.DrawSequence(preferences[u], length))
            {
                userIndices.Add(u);
                itemIndices.Add(item);
                timestamps.Add(time);
                time += MinGapSeconds + rng.Next(MaxGapSeconds - MinGapSeconds + 1);
            }
        }

        var dataset = new InteractionDataset(
            Ids("user", options.UserCount),
            Ids("item", itemCount),
            [.. userIndices],
            [.. itemIndices],
            [.. timestamps],
            itemText);
        return new SyntheticCatalog(
            options, dataset, categoryNames, subcategoryNames, itemCategory, itemSubcategory, titles, popularityRank, successors, preferences);
    }

    /// <summary>
    /// Title = brand + one or two distinct attribute words + subcategory noun, all from the item's category word
    /// lists (e.g. "Lumina Hydrating Fragrance-Free Moisturizer"). A repeated title gets " No. n" appended so
    /// titles stay unique and text-based tokenizers can tell items apart.
    /// </summary>
    private static string[] BuildTitles(SyntheticRandom rng, int[] itemCategory, int[] itemSubcategory, int perCategory)
    {
        var titles = new string[itemCategory.Length];
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < titles.Length; i++)
        {
            var words = SyntheticVocabulary.Categories[itemCategory[i]];
            string brand = words.Brands[rng.Next(words.Brands.Length)];
            int first = rng.Next(words.Attributes.Length);
            string attributes = words.Attributes[first];
            if (rng.Next(2) == 1)
            {
                int second = (first + 1 + rng.Next(words.Attributes.Length - 1)) % words.Attributes.Length;
                attributes += " " + words.Attributes[second];
            }

            string noun = words.Subcategories[itemSubcategory[i] % perCategory].Noun;
            string title = $"{brand} {attributes} {noun}";
            int count = uses.GetValueOrDefault(title) + 1;
            uses[title] = count;
            titles[i] = count == 1 ? title : $"{title} No. {count.ToString(CultureInfo.InvariantCulture)}";
        }

        return titles;
    }

    /// <summary>
    /// Each subcategory's items are put in a random cyclic chain; an item's first successor is the next item in
    /// the chain, the rest are distinct random members of the subcategory (without replacement).
    /// </summary>
    private static int[][] BuildSuccessors(SyntheticRandom rng, int[] itemSubcategory, int subcategoryCount, int successorsPerItem)
    {
        var successors = new int[itemSubcategory.Length][];
        for (int s = 0; s < subcategoryCount; s++)
        {
            int subcategory = s;
            int[] chain = [.. Enumerable.Range(0, itemSubcategory.Length).Where(i => itemSubcategory[i] == subcategory)];
            rng.Shuffle(chain);
            int m = chain.Length;
            int take = Math.Min(successorsPerItem, m - 1);
            for (int q = 0; q < m; q++)
            {
                var list = new List<int>(take);
                if (take > 0)
                {
                    int next = chain[(q + 1) % m];
                    list.Add(next);
                    int[] pool = [.. chain.Where(item => item != chain[q] && item != next)];
                    for (int j = 0; j < take - 1; j++)
                    {
                        // Partial Fisher-Yates: draw without replacement from the front of the pool.
                        int pick = j + rng.Next(pool.Length - j);
                        (pool[j], pool[pick]) = (pool[pick], pool[j]);
                        list.Add(pool[j]);
                    }
                }

                successors[chain[q]] = [.. list];
            }
        }

        return successors;
    }

    private static string[] Ids(string prefix, int count)
    {
        int width = (count - 1).ToString(CultureInfo.InvariantCulture).Length;
        var ids = new string[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = $"{prefix}_{i.ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}";
        }

        return ids;
    }
}
