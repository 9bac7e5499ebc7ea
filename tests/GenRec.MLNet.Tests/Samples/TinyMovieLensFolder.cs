using System.Globalization;
using System.Text;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// A MovieLens-format folder small enough for a test: <c>ratings.csv</c> (userId,movieId,rating,timestamp) and
/// <c>movies.csv</c> (movieId,title,genres) with quoted titles that hold commas, as the real files have. 60 users
/// rate 12 of 40 movies each (720 ratings); one extra user with 3 ratings and one extra movie with 2 ratings are
/// there for the 5-core filter to remove, which leaves exactly the 60 × 40 core.
/// </summary>
public sealed class TinyMovieLensFolder : IDisposable
{
    public const int CoreUsers = 60;
    public const int CoreMovies = 40;
    public const int RatingsPerUser = 12;

    private static readonly string[] Genres = ["Comedy", "Drama", "Action", "Sci-Fi", "Romance", "Thriller"];

    public TinyMovieLensFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"genrec-tiny-movielens-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        var random = new Random(7);
        var movies = new StringBuilder("movieId,title,genres\n");
        var texts = new List<string>();
        for (int movie = 1; movie <= CoreMovies + 1; movie++)
        {
            // "Film 7, The (1977)": the comma inside the quoted title must not split the row.
            string title = $"Film {movie}, The ({1970 + movie})";
            string first = Genres[movie % Genres.Length];
            string second = Genres[(movie + 2) % Genres.Length];
            movies.Append(CultureInfo.InvariantCulture, $"{movie},\"{title}\",{first}|{second}\n");
            if (movie <= CoreMovies)
            {
                texts.Add($"{title} | {first}, {second}"); // what MovieLensLoader makes of it
            }
        }

        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        long time = 964_982_703;
        for (int user = 1; user <= CoreUsers; user++)
        {
            foreach (int movie in Enumerable.Range(1, CoreMovies).OrderBy(_ => random.Next()).Take(RatingsPerUser))
            {
                Rate(ratings, user, movie, time += random.Next(1, 500));
            }
        }

        // Removed by the 5-core filter: user 999 (3 ratings), then movie 41 (left with user 1's rating alone).
        Rate(ratings, 999, CoreMovies + 1, ++time);
        Rate(ratings, 999, 1, ++time);
        Rate(ratings, 999, 2, ++time);
        Rate(ratings, 1, CoreMovies + 1, ++time);

        File.WriteAllText(System.IO.Path.Combine(Path, "movies.csv"), movies.ToString());
        File.WriteAllText(System.IO.Path.Combine(Path, "ratings.csv"), ratings.ToString());
        MovieTexts = texts;
    }

    public string Path { get; }

    /// <summary>Each core movie's text as the sample prints it: "Title | Genre1, Genre2".</summary>
    public IReadOnlyList<string> MovieTexts { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static void Rate(StringBuilder ratings, int user, int movie, long timestamp) =>
        ratings.Append(CultureInfo.InvariantCulture, $"{user},{movie},{(movie % 4 + 2) * 0.5 + 2:0.0},{timestamp}\n");
}
