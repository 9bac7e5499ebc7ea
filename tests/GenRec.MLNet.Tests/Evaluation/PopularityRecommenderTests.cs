using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using Xunit;

namespace GenRec.MLNet.Tests.Evaluation;

public class PopularityRecommenderTests
{
    // Counts: item 0 → 1, item 1 → 2, item 2 → 3, item 3 → 1, item 4 → 0.
    private static readonly int[][] Sequences = [[0, 1, 2], [1, 2], [2, 3]];

    private static int[] One(IRecommender recommender, int[] history, int k, bool excludeHistory) =>
        recommender.Recommend([new RecommendationRequest(0, history)], k, excludeHistory)[0];

    [Fact]
    public void RanksByCount_TiesByLowerIndex()
    {
        var recommender = new PopularityRecommender(Sequences, itemCount: 5);

        recommender.RankedItems.Should().Equal(2, 1, 0, 3, 4);
        recommender.ItemCounts.Should().Equal(1, 2, 3, 1, 0);
        One(recommender, [2], 3, excludeHistory: false).Should().Equal(2, 1, 0);
    }

    [Fact]
    public void ExcludesHistoryWhenAsked()
    {
        var recommender = new PopularityRecommender(Sequences, itemCount: 5);

        One(recommender, [2, 0], 3, excludeHistory: true).Should().Equal(1, 3, 4);
    }

    [Fact]
    public void ReturnsFewerThanKWhenTheCatalogRunsOut()
    {
        var recommender = new PopularityRecommender(Sequences, itemCount: 5);

        One(recommender, [], 10, excludeHistory: false).Should().Equal(2, 1, 0, 3, 4);
        One(recommender, [0, 1, 2, 3], 10, excludeHistory: true).Should().Equal(4);
    }

    [Fact]
    public void AnswersEveryRequestInABatch()
    {
        var recommender = new PopularityRecommender(Sequences, itemCount: 5);

        int[][] results = recommender.Recommend([new(0, [2]), new(1, [1]), new(2, [])], 2, excludeHistory: true);

        results.Should().HaveCount(3);
        results[0].Should().Equal(1, 0);
        results[1].Should().Equal(2, 0);
        results[2].Should().Equal(2, 1);
    }

    [Fact]
    public void BuildsFromADataset()
    {
        var data = new InteractionDataset(["u0", "u1"], ["a", "b", "c"], [0, 0, 1], [2, 1, 2]);

        var recommender = new PopularityRecommender(data);

        recommender.ItemCount.Should().Be(3);
        recommender.RankedItems.Should().Equal(2, 1, 0);
    }

    [Fact]
    public void InvalidInput_Throws()
    {
        FluentActions.Invoking(() => new PopularityRecommender([[0, 7]], itemCount: 5))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*item 7*");
        FluentActions.Invoking(() => One(new PopularityRecommender(Sequences, 5), [], 0, false))
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
