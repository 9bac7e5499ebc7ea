using FluentAssertions;
using GenRec.MLNet.Data;
using Microsoft.ML;
using Xunit;

namespace GenRec.MLNet.RealData;

/// <summary>The ML.NET exposure at real size: what estimators receive in Fit must give back the same dataset.</summary>
public sealed class DataViewRealDataTests
{
    [Fact]
    public void MovieLensSmall_RoundTripsThroughIDataView()
    {
        var ml = new MLContext(seed: 1);
        var movies = MovieLensLoader.Load(SharedDatasets.Folder("ml-latest-small")).OrderByTime();

        var view = movies.ToDataView(ml);
        view.GetRowCount().Should().Be(100_836);
        var back = InteractionDataViews.ToInteractionDataset(view, itemText: movies.ItemText);

        back.UserIds.Should().Equal(movies.UserIds);
        back.ItemIds.Should().Equal(movies.ItemIds);
        back.UserIndices.AsSpan().SequenceEqual(movies.UserIndices).Should().BeTrue();
        back.ItemIndices.AsSpan().SequenceEqual(movies.ItemIndices).Should().BeTrue();
        back.Timestamps.AsSpan().SequenceEqual(movies.Timestamps).Should().BeTrue();
        movies.ItemTextDataView(ml).GetRowCount().Should().Be(movies.ItemCount);
    }
}
