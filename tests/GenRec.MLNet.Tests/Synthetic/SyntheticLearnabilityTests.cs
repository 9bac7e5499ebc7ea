using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Synthetic;
using Xunit;
using Xunit.Abstractions;

namespace GenRec.MLNet.Tests.Synthetic;

/// <summary>
/// The demo data must reward models that learn sequential structure: on a leave-last-out split of the default
/// catalog, next-item transitions beat popularity clearly, and popularity beats chance.
/// The numbers printed here are the ones quoted in docs/demo-data.md.
/// </summary>
public class SyntheticLearnabilityTests(ITestOutputHelper output)
{
    private static readonly int[] Ks = [5, 10, 20];

    [Fact]
    public void DefaultCatalog_BaselinesAreOrderedByHowMuchStructureTheyUse()
    {
        var catalog = SyntheticCatalogGenerator.Generate();
        var (train, cases) = LeaveLastOut.Split(catalog.Dataset.SequencesByUser());
        int itemCount = catalog.Dataset.ItemCount;

        var random = RecommenderEvaluator.Evaluate(new UniformRandomRecommender(itemCount, seed: 1), cases, Ks, excludeHistory: true);
        var popularity = RecommenderEvaluator.Evaluate(new PopularityRecommender(train, itemCount), cases, Ks, excludeHistory: true);
        var coOccurrence = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(train, itemCount), cases, Ks, excludeHistory: true);
        var windowed = RecommenderEvaluator.Evaluate(new CoOccurrenceRecommender(train, itemCount, historyWindow: 3, decay: 0.5), cases, Ks, excludeHistory: true);

        output.WriteLine($"{catalog}");
        output.WriteLine($"Random\n{random}\n\nPopularity\n{popularity}\n\nCoOccurrence (window 1)\n{coOccurrence}\n\nCoOccurrence (window 3, decay 0.5)\n{windowed}");

        popularity["Recall", 10].Should().BeGreaterThan(2 * random["Recall", 10], "popularity skew must be learnable");
        coOccurrence["Recall", 10].Should().BeGreaterThan(2 * popularity["Recall", 10], "next-item transitions must be learnable");
        coOccurrence["NDCG", 10].Should().BeGreaterThan(2 * popularity["NDCG", 10]);
    }
}
