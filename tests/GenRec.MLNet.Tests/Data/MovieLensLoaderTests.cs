using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

public sealed class MovieLensLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteValidMovies() => _dir.Write(
        "movies.csv",
        "movieId,title,genres",
        "1,Toy Story (1995),Adventure|Animation|Children",
        "11,\"American President, The (1995)\",Comedy|Drama",
        "20,\"The \"\"Quoted\"\" One (2000)\",(no genres listed)",
        "99,Never Rated (1999),Drama");

    [Fact]
    public void Load_JoinsRatingsMoviesAndDistinctTags()
    {
        _dir.Write(
            "ratings.csv",
            "userId,movieId,rating,timestamp",
            "1,11,4.0,300",
            "1,1,2.5,100",
            "2,20,5.0,200",
            "2,1,3.0,150");
        WriteValidMovies();
        _dir.Write(
            "tags.csv",
            "userId,movieId,tag,timestamp",
            "1,1,pixar,1",
            "2,1,Pixar,2",
            "2,1,funny,3",
            "3,99,ignored,4",
            "1,11,\"politics, romance\",5");

        var d = MovieLensLoader.Load(_dir.Path);

        d.UserIds.Should().Equal("1", "2");
        d.ItemIds.Should().Equal("11", "1", "20"); // first appearance in ratings; movie 99 is never rated
        d.UserIndices.Should().Equal(0, 0, 1, 1);
        d.ItemIndices.Should().Equal(0, 1, 2, 1);
        d.Timestamps.Should().Equal(300, 100, 200, 150);
        d.ItemText.Should().Equal(
            "American President, The (1995) | Comedy, Drama | politics, romance",
            "Toy Story (1995) | Adventure, Animation, Children | pixar, funny",
            "The \"Quoted\" One (2000)");
    }

    [Fact]
    public void Load_MinRatingDropsLowRatingsAndTheirItems()
    {
        var ratings = _dir.Write("r.csv", "userId,movieId,rating,timestamp", "1,1,2.0,1", "1,11,4.0,2", "2,1,4.5,3");
        WriteValidMovies();

        var d = MovieLensLoader.Load(ratings, Path.Combine(_dir.Path, "movies.csv"), minRating: 4.0);

        d.InteractionCount.Should().Be(2);
        d.ItemIds.Should().Equal("11", "1");
        d.UserIds.Should().Equal("1", "2");
        d.ItemText![0].Should().Be("American President, The (1995) | Comedy, Drama");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundWithPath()
    {
        WriteValidMovies();
        string ratings = Path.Combine(_dir.Path, "ratings.csv");
        var ex = FluentActions.Invoking(() => MovieLensLoader.Load(_dir.Path)).Should().Throw<FileNotFoundException>().Which;
        ex.FileName.Should().Be(ratings);
        ex.Message.Should().Contain(ratings);
    }

    [Theory]
    [InlineData("1,1,4.0", 3, "expected 4 columns")]
    [InlineData("1,1,4.0,yesterday", 3, "timestamp 'yesterday' is not an integer")]
    [InlineData("1,1,four,5", 3, "rating 'four' is not a number")]
    [InlineData("1,42,4.0,5", 3, "movieId '42' does not appear")]
    [InlineData("1,\"1,4.0,5", 3, "unterminated quoted field")]
    public void Load_BadRatingRow_ReportsFileAndLine(string badRow, int line, string problem)
    {
        var ratings = _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,1,4.0,5", badRow);
        WriteValidMovies();
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), ratings, line, problem);
    }

    [Fact]
    public void Load_MissingHeaderColumn_ReportsLineOne()
    {
        var ratings = _dir.Write("ratings.csv", "userId,itemId,rating,timestamp", "1,1,4.0,5");
        WriteValidMovies();
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), ratings, 1, "missing header column 'movieId'");
    }

    [Fact]
    public void Load_BadMoviesFile_ReportsMoviesFileAndLine()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,1,4.0,5");
        var movies = _dir.Write("movies.csv", "movieId,title,genres", "1,Toy Story (1995),Animation", "1,Toy Story again,Animation");
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), movies, 3, "movieId '1' is listed twice");
    }

    [Fact]
    public void Load_BadTagsFile_ReportsTagsFileAndLine()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,1,4.0,5");
        WriteValidMovies();
        var tags = _dir.Write("tags.csv", "userId,movieId,tag,timestamp", "1,1,fun,1", "1,1,\"fun\"x,1");
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), tags, 3, "after the closing quote");
    }
}
