using FluentAssertions;
using GenRec.MLNet.Synthetic;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Synthetic;

public class SyntheticCatalogGeneratorTests(ITestOutputHelper output)
{
    private static SyntheticCatalogOptions Small(int seed = 7) => new()
    {
        UserCount = 300,
        ItemCount = 200,
        CategoryCount = 4,
        SubcategoriesPerCategory = 3,
        Seed = seed,
    };

    [Fact]
    public void SameSeed_GivesIdenticalData()
    {
        var a = SyntheticCatalogGenerator.Generate(Small());
        var b = SyntheticCatalogGenerator.Generate(Small());

        a.Dataset.UserIndices.Should().Equal(b.Dataset.UserIndices);
        a.Dataset.ItemIndices.Should().Equal(b.Dataset.ItemIndices);
        a.Dataset.Timestamps.Should().Equal(b.Dataset.Timestamps);
        a.Dataset.ItemText.Should().Equal(b.Dataset.ItemText);
        a.ItemSubcategory.Should().Equal(b.ItemSubcategory);
    }

    [Fact]
    public void DifferentSeed_GivesDifferentData()
    {
        var a = SyntheticCatalogGenerator.Generate(Small(seed: 1));
        var b = SyntheticCatalogGenerator.Generate(Small(seed: 2));

        a.Dataset.ItemIndices.Should().NotEqual(b.Dataset.ItemIndices);
        a.ItemTitles.Should().NotEqual(b.ItemTitles);
        a.ItemSubcategory.Should().NotEqual(b.ItemSubcategory);
    }

    [Fact]
    public void SizesAndSequenceLengthsAreHonoured()
    {
        var options = Small();
        options.MinSequenceLength = 3;
        options.MaxSequenceLength = 9;

        var catalog = SyntheticCatalogGenerator.Generate(options);

        catalog.Dataset.UserCount.Should().Be(300);
        catalog.Dataset.ItemCount.Should().Be(200);
        catalog.CategoryNames.Should().HaveCount(4);
        catalog.SubcategoryNames.Should().HaveCount(12);
        catalog.ItemTitles.Should().HaveCount(200);
        catalog.Dataset.ItemText.Should().NotBeNull().And.HaveCount(200);
        catalog.Dataset.Timestamps.Should().NotBeNull().And.HaveCount(catalog.Dataset.InteractionCount);
        int[][] sequences = catalog.Dataset.SequencesByUser();
        sequences.Should().OnlyContain(s => s.Length >= 3 && s.Length <= 9);
        sequences.Select(s => s.Length).Distinct().Should().HaveCountGreaterThan(3, "lengths are drawn uniformly");
        catalog.Dataset.UserIds[0].Should().Be("user_000");
        catalog.Dataset.ItemIds[199].Should().Be("item_199");
    }

    [Fact]
    public void UsersNeverRepeatItems_AndTimestampsIncrease()
    {
        var catalog = SyntheticCatalogGenerator.Generate(Small());
        var data = catalog.Dataset;

        catalog.Dataset.SequencesByUser().Should().OnlyContain(s => s.Distinct().Count() == s.Length);
        for (int i = 1; i < data.InteractionCount; i++)
        {
            if (data.UserIndices[i] == data.UserIndices[i - 1])
            {
                data.Timestamps![i].Should().BeGreaterThan(data.Timestamps[i - 1]);
            }
        }
    }

    [Fact]
    public void TaxonomyIsConsistent_AndEverySubcategoryHasItems()
    {
        var catalog = SyntheticCatalogGenerator.Generate(Small());

        for (int item = 0; item < catalog.Dataset.ItemCount; item++)
        {
            catalog.CategoryOfSubcategory(catalog.ItemSubcategory[item]).Should().Be(catalog.ItemCategory[item]);
        }

        catalog.ItemSubcategory.Distinct().Should().HaveCount(12);
        catalog.ItemSubcategory.GroupBy(s => s).Select(g => g.Count()).Should().OnlyContain(n => n == 16 || n == 17, "200 items are spread evenly over 12 subcategories");
        catalog.SubcategoryPath(0).Should().Be("Skincare > Moisturizers");
        catalog.ItemTitles.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void ItemTextContainsCategorySubcategoryAndTitleNoun()
    {
        var catalog = SyntheticCatalogGenerator.Generate(Small());

        for (int item = 0; item < catalog.Dataset.ItemCount; item++)
        {
            string text = catalog.Dataset.ItemText![item]!;
            text.Should().StartWith(catalog.ItemTitles[item]);
            text.Should().EndWith($"| {catalog.SubcategoryPath(catalog.ItemSubcategory[item])}");
            text.Should().Contain(catalog.CategoryNames[catalog.ItemCategory[item]]);
        }

        // Titles of one subcategory share its noun, e.g. every Skincare > Moisturizers title names a "Moisturizer".
        catalog.ItemTitles.Where((_, item) => catalog.ItemSubcategory[item] == 0).Should().OnlyContain(title => title.Contains("Moisturizer"));
    }

    [Fact]
    public void SuccessorsStayInTheSubcategory()
    {
        var catalog = SyntheticCatalogGenerator.Generate(Small());

        for (int item = 0; item < catalog.Dataset.ItemCount; item++)
        {
            var successors = catalog.ItemSuccessors[item];
            successors.Should().HaveCount(3).And.OnlyHaveUniqueItems().And.NotContain(item);
            successors.Should().OnlyContain(s => catalog.ItemSubcategory[s] == catalog.ItemSubcategory[item]);
        }
    }

    [Fact]
    public void DefaultCatalog_HasPopularitySkewAndCategoryAffinity()
    {
        var catalog = SyntheticCatalogGenerator.Generate();
        var data = catalog.Dataset;

        var counts = new int[data.ItemCount];
        foreach (int item in data.ItemIndices)
        {
            counts[item]++;
        }

        double topDecileShare = counts.OrderDescending().Take(data.ItemCount / 10).Sum() / (double)data.InteractionCount;
        double inPreferred = Enumerable.Range(0, data.InteractionCount)
            .Count(i => catalog.UserPreferredCategories[data.UserIndices[i]].Contains(catalog.ItemCategory[data.ItemIndices[i]])) / (double)data.InteractionCount;
        output.WriteLine($"Top 10% of items: {topDecileShare:P1} of interactions; in preferred category: {inPreferred:P1}; items never seen: {counts.Count(c => c == 0)}");

        topDecileShare.Should().BeGreaterThan(0.30, "PopularityExponent = 1 gives a long-tail catalog");
        inPreferred.Should().BeGreaterThan(0.6, "CategoryAffinity = 0.8 keeps most interactions in the user's categories");
        catalog.UserPreferredCategories.Should().OnlyContain(p => p.Count == 1 || p.Count == 2);
    }

    [Fact]
    public void ZeroExponentAndNoTransitions_GiveAFlatCatalog()
    {
        var options = Small();
        options.PopularityExponent = 0;
        options.SuccessorsPerItem = 0;
        options.CategoryAffinity = 0;

        var catalog = SyntheticCatalogGenerator.Generate(options);

        catalog.ItemSuccessors.Should().OnlyContain(s => s.Count == 0);
        catalog.Dataset.InteractionCount.Should().BeGreaterThan(0);
    }

    [Fact]
    public void OptionsAreCopied_SoLaterChangesDoNotLeakIn()
    {
        var options = Small();
        var catalog = SyntheticCatalogGenerator.Generate(options);

        options.UserCount = 5;

        catalog.Options.UserCount.Should().Be(300);
    }

    [Theory]
    [InlineData(nameof(SyntheticCatalogOptions.UserCount), 0)]
    [InlineData(nameof(SyntheticCatalogOptions.ItemCount), 10)]
    [InlineData(nameof(SyntheticCatalogOptions.CategoryCount), 13)]
    [InlineData(nameof(SyntheticCatalogOptions.SubcategoriesPerCategory), 0)]
    [InlineData(nameof(SyntheticCatalogOptions.MinSequenceLength), 0)]
    [InlineData(nameof(SyntheticCatalogOptions.MaxSequenceLength), 2)]
    [InlineData(nameof(SyntheticCatalogOptions.PopularityExponent), -1.0)]
    [InlineData(nameof(SyntheticCatalogOptions.CategoryAffinity), 1.5)]
    [InlineData(nameof(SyntheticCatalogOptions.TransitionStrength), double.NaN)]
    [InlineData(nameof(SyntheticCatalogOptions.Noise), -0.1)]
    [InlineData(nameof(SyntheticCatalogOptions.SuccessorsPerItem), 17)]
    public void InvalidOption_ThrowsNamingTheField(string field, object value)
    {
        var options = new SyntheticCatalogOptions();
        var info = typeof(SyntheticCatalogOptions).GetField(field)!;
        info.SetValue(options, Convert.ChangeType(value, info.FieldType, System.Globalization.CultureInfo.InvariantCulture));

        FluentActions.Invoking(() => SyntheticCatalogGenerator.Generate(options))
            .Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == field)
            .WithMessage($"*SyntheticCatalogOptions.{field}*");
    }

    [Fact]
    public void MaxSequenceLongerThanCatalog_IsRejected()
    {
        var options = Small();
        options.MaxSequenceLength = 201;

        FluentActions.Invoking(() => SyntheticCatalogGenerator.Generate(options))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "MaxSequenceLength");
    }
}
