using FluentAssertions;
using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;
using Xunit;

namespace GenRec.MLNet.Tests.Evaluation;

public class CoOccurrenceRecommenderTests
{
    // Transitions: 0→1 ×3, 0→2 ×1, 1→2 ×1, 1→3 ×2, 4→0 ×1.
    // Popularity: 0 and 1 (4 each), 2 and 3 (2 each), 4 (1) → order 0, 1, 2, 3, 4.
    private static readonly int[][] Sequences = [[0, 1, 2], [0, 1, 3], [0, 2], [1, 3], [4, 0, 1]];

    private static int[] One(IRecommender recommender, int[] history, int k, bool excludeHistory) =>
        recommender.Recommend([new RecommendationRequest(0, history)], k, excludeHistory)[0];

    [Fact]
    public void CountsDirectTransitions()
    {
        var recommender = new CoOccurrenceRecommender(Sequences, itemCount: 5);

        recommender.TransitionCount(0, 1).Should().Be(3);
        recommender.TransitionCount(1, 3).Should().Be(2);
        recommender.TransitionCount(1, 0).Should().Be(0);
        recommender.TransitionPairCount.Should().Be(5);
    }

    [Fact]
    public void RanksSuccessorsOfLastItemByCount_ThenFillsByPopularity()
    {
        var recommender = new CoOccurrenceRecommender(Sequences, itemCount: 5);

        One(recommender, [4, 0], 3, excludeHistory: false).Should().Equal(1, 2, 0);
        One(recommender, [1], 4, excludeHistory: false).Should().Equal(3, 2, 0, 1);
    }

    [Fact]
    public void ExcludesHistoryFromSuccessorsAndFill()
    {
        var recommender = new CoOccurrenceRecommender(Sequences, itemCount: 5);

        One(recommender, [4, 0], 3, excludeHistory: true).Should().Equal(1, 2, 3);
        One(recommender, [3, 1], 4, excludeHistory: true).Should().Equal(2, 0, 4);
    }

    [Fact]
    public void ItemWithoutSuccessors_FallsBackToPopularity()
    {
        var recommender = new CoOccurrenceRecommender(Sequences, itemCount: 5);

        One(recommender, [2], 3, excludeHistory: true).Should().Equal(0, 1, 3);
        One(recommender, [], 2, excludeHistory: true).Should().Equal(0, 1);
    }

    [Fact]
    public void TiedSuccessors_AreOrderedByPopularity()
    {
        // 5 is followed once by 2 and once by 3, but 3 is more popular than 2.
        int[][] sequences = [[5, 2], [5, 3], [3], [3]];
        var recommender = new CoOccurrenceRecommender(sequences, itemCount: 6);

        One(recommender, [5], 2, excludeHistory: true).Should().Equal(3, 2);
    }

    [Fact]
    public void HistoryWindow_AddsDecayedTransitionProbabilitiesOfEarlierItems()
    {
        // Window 2, decay 0.5, history [4, 1]: P(3|1) = 2/3, P(2|1) = 1/3, and 0.5 · P(0|4) = 0.5.
        var windowed = new CoOccurrenceRecommender(Sequences, itemCount: 5, historyWindow: 2, decay: 0.5);
        var lastOnly = new CoOccurrenceRecommender(Sequences, itemCount: 5);

        One(windowed, [4, 1], 3, excludeHistory: false).Should().Equal(3, 0, 2);
        One(lastOnly, [4, 1], 3, excludeHistory: false).Should().Equal(3, 2, 0);
        windowed.HistoryWindow.Should().Be(2);
        windowed.Decay.Should().Be(0.5);
    }

    [Fact]
    public void NeverReturnsDuplicates()
    {
        var recommender = new CoOccurrenceRecommender(Sequences, itemCount: 5, historyWindow: 3);

        int[] result = One(recommender, [0, 4, 1], 5, excludeHistory: false);

        result.Should().OnlyHaveUniqueItems().And.HaveCount(5);
    }

    [Fact]
    public void BuildsFromADatasetInEventOrder()
    {
        var data = new InteractionDataset(["u0", "u1"], ["a", "b", "c"], [0, 0, 1, 1], [0, 2, 0, 2]);

        var recommender = new CoOccurrenceRecommender(data);

        recommender.TransitionCount(0, 2).Should().Be(2);
        One(recommender, [0], 1, excludeHistory: true).Should().Equal(2);
    }

    [Fact]
    public void InvalidInput_Throws()
    {
        FluentActions.Invoking(() => new CoOccurrenceRecommender(Sequences, 5, historyWindow: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new CoOccurrenceRecommender(Sequences, 5, decay: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new CoOccurrenceRecommender([[0, 9]], 5)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => One(new CoOccurrenceRecommender(Sequences, 5), [9], 3, false)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
