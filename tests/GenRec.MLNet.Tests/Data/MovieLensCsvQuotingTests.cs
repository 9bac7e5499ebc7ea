using FluentAssertions;
using GenRec.MLNet.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Data;

/// <summary>
/// RFC 4180 quoting in the MovieLens files (read through CsvHelper): quoted fields with commas, doubled quotes and
/// line breaks, CRLF and blank lines, and malformed rows reported with the line the record starts on.
/// </summary>
public sealed class MovieLensCsvQuotingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_later_lines_keep_their_numbers()
    {
        _dir.Write(
            "movies.csv",
            "movieId,title,genres",
            "1,\"Comma, The (1990)\",Drama",
            "2,\"Two",
            "Lines (1991)\",Comedy|Drama",
            "3,\"Say \"\"Hi\"\" (1992)\",\"Action|Sci-Fi\"",
            "4,Tom's \"Diner\" (1993),Drama");
        // The bad timestamp sits on physical line 5, after a record that spans lines 3 and 4 of movies.csv; the ratings
        // file itself has a quoted movieId and a blank line before it.
        string ratings = _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,\"1\",4.0,10", "", "1,2,3.5,20", "2,3,5.0,30", "2,4,1.0,40");

        InteractionDataset d = MovieLensLoader.Load(_dir.Path);

        d.ItemIds.Should().Equal("1", "2", "3", "4");
        d.ItemText.Should().Equal(
            "Comma, The (1990) | Drama",
            "Two\nLines (1991) | Comedy, Drama",
            "Say \"Hi\" (1992) | Action, Sci-Fi",
            "Tom's \"Diner\" (1993) | Drama");
        d.Timestamps.Should().Equal(10, 20, 30, 40);

        File.AppendAllText(ratings, "2,1,4.0,later\n");
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), ratings, 7, "timestamp 'later' is not an integer");
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_read_like_plain_lines()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "movies.csv"), "\uFEFFmovieId,title,genres\r\n7,\"Seven, The\",Drama\r\n");
        File.WriteAllText(Path.Combine(_dir.Path, "ratings.csv"), "userId,movieId,rating,timestamp\r\n\r\n5,7,4.0,99\r\n");

        InteractionDataset d = MovieLensLoader.Load(_dir.Path);

        d.UserIds.Should().Equal("5");
        d.ItemText.Should().Equal("Seven, The | Drama");
        d.Timestamps.Should().Equal(99);
    }

    [Fact]
    public void A_movie_row_after_a_multi_line_title_with_too_few_columns_names_its_own_line()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,1,4.0,5");
        string movies = _dir.Write("movies.csv", "movieId,title,genres", "1,\"A",
            "B\",Drama", "2,Only two");
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), movies, 4, "expected 3 columns as in the header but found 2");
    }

    [Fact]
    public void An_unterminated_quote_in_the_middle_of_a_file_names_the_line_where_the_record_starts()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,1,4.0,5");
        string movies = _dir.Write("movies.csv", "movieId,title,genres", "1,Fine (1990),Drama", "2,\"Never closed (1991),Drama", "3,Third (1992),Drama");
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), movies, 3, "unterminated quoted field");
    }

    [Fact]
    public void An_empty_file_says_a_header_is_expected()
    {
        _dir.Write("ratings.csv", "userId,movieId,rating,timestamp", "1,1,4.0,5");
        string movies = Path.Combine(_dir.Path, "movies.csv");
        File.WriteAllText(movies, "");
        TempDirectory.ShouldFailAt(() => MovieLensLoader.Load(_dir.Path), movies, 0, "the file is empty; expected a header line");
    }
}
