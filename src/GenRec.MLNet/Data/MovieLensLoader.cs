using System.Globalization;

namespace GenRec.MLNet.Data;

/// <summary>
/// Loads the GroupLens MovieLens CSV files (<c>ratings.csv</c>, <c>movies.csv</c>, optional <c>tags.csv</c>,
/// as in ml-latest-small / ml-latest / ml-25m) into an <see cref="InteractionDataset"/>.
/// </summary>
/// <remarks>
/// <para>Every rating becomes one interaction with its Unix timestamp, in file order (call
/// <see cref="InteractionDatasetExtensions.OrderByTime"/> for chronological sequences). Users and items are
/// indexed in order of first appearance in <c>ratings.csv</c>; only movies that are rated (and kept by the
/// minimum-rating filter) become items, and their original <c>movieId</c> strings are kept as item IDs.</para>
/// <para>Item text is <c>"Title | Genre1, Genre2 | tag1, tag2"</c>: genres come from the pipe-separated
/// <c>genres</c> column (the placeholder <c>(no genres listed)</c> counts as none), tags are the distinct
/// (case-insensitive, first spelling kept) tags of that movie in file order. Empty parts are left out, so a
/// movie without genres or tags has just its title.</para>
/// </remarks>
public static class MovieLensLoader
{
    private const string NoGenres = "(no genres listed)";

    /// <summary>
    /// Loads <c>ratings.csv</c> and <c>movies.csv</c> (and <c>tags.csv</c> when present) from a MovieLens folder.
    /// </summary>
    /// <param name="directory">Folder holding the MovieLens CSV files.</param>
    /// <param name="minRating">When set, only ratings ≥ this value are kept; null keeps all ratings.</param>
    /// <exception cref="FileNotFoundException">ratings.csv or movies.csv is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message names the file and line.</exception>
    public static InteractionDataset Load(string directory, double? minRating = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string tags = Path.Combine(directory, "tags.csv");
        return Load(
            Path.Combine(directory, "ratings.csv"),
            Path.Combine(directory, "movies.csv"),
            File.Exists(tags) ? tags : null,
            minRating);
    }

    /// <summary>Loads MovieLens ratings, movies and (optionally) tags from explicit file paths.</summary>
    /// <param name="ratingsPath">CSV with header columns userId, movieId, rating, timestamp.</param>
    /// <param name="moviesPath">CSV with header columns movieId, title, genres.</param>
    /// <param name="tagsPath">Optional CSV with header columns userId, movieId, tag, timestamp.</param>
    /// <param name="minRating">When set, only ratings ≥ this value are kept; null keeps all ratings.</param>
    /// <exception cref="FileNotFoundException">A given file is missing.</exception>
    /// <exception cref="DataFormatException">A file is malformed; the message names the file and line.</exception>
    public static InteractionDataset Load(string ratingsPath, string moviesPath, string? tagsPath = null, double? minRating = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ratingsPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(moviesPath);

        // Check every file up front so a missing movies.csv is reported before minutes of rating parsing.
        InputFile.EnsureExists(ratingsPath, "MovieLens ratings");
        InputFile.EnsureExists(moviesPath, "MovieLens movies");
        if (tagsPath != null)
        {
            InputFile.EnsureExists(tagsPath, "MovieLens tags");
        }

        var movies = ReadMovies(moviesPath);
        var users = new IdIndexer();
        var items = new IdIndexer();
        var userIndices = new List<int>();
        var itemIndices = new List<int>();
        var timestamps = new List<long>();

        foreach (var row in CsvTable.Read(ratingsPath, "MovieLens ratings", requiredColumns: ["userId", "movieId", "timestamp"], optionalColumns: ["rating"]))
        {
            string userId = row.Field(0);
            string movieId = row.Field(1);
            long timestamp = row.Int64(2, "timestamp");
            if (row.Has(3))
            {
                double rating = row.Double(3, "rating");
                if (minRating.HasValue && rating < minRating.Value)
                {
                    continue;
                }
            }
            else if (minRating.HasValue)
            {
                throw new DataFormatException(ratingsPath, 1, "a minimum rating was requested but the file has no 'rating' column.");
            }

            if (!movies.ContainsKey(movieId))
            {
                // A rating for an unknown movie almost always means the two files come from different releases.
                throw new DataFormatException(ratingsPath, row.Line, $"movieId '{movieId}' does not appear in {moviesPath}.");
            }

            userIndices.Add(users.GetOrAdd(userId));
            itemIndices.Add(items.GetOrAdd(movieId));
            timestamps.Add(timestamp);
        }

        var tags = tagsPath != null ? ReadTags(tagsPath, items) : null;
        var text = new string?[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var (title, genres) = movies[items.Ids[i]];
            text[i] = ComposeText(title, genres, tags?[i]);
        }

        return new InteractionDataset(users.Ids, items.Ids, userIndices.ToArray(), itemIndices.ToArray(), timestamps.ToArray(), text);
    }

    private static Dictionary<string, (string Title, string Genres)> ReadMovies(string path)
    {
        var movies = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in CsvTable.Read(path, "MovieLens movies", requiredColumns: ["movieId", "title", "genres"], optionalColumns: []))
        {
            string movieId = row.Field(0);
            if (!lineOf.TryAdd(movieId, row.Line))
            {
                throw new DataFormatException(path, row.Line, $"movieId '{movieId}' is listed twice (first on line {lineOf[movieId]}).");
            }

            movies.Add(movieId, (row.Field(1), row.Field(2)));
        }

        return movies;
    }

    private static List<string>?[] ReadTags(string path, IdIndexer items)
    {
        var tags = new List<string>?[items.Count];
        var seen = new HashSet<string>?[items.Count];
        foreach (var row in CsvTable.Read(path, "MovieLens tags", requiredColumns: ["movieId", "tag"], optionalColumns: []))
        {
            string tag = row.Field(1);
            // Tags of movies nobody rated cannot describe an item, so they are ignored.
            if (tag.Length == 0 || !items.TryGet(row.Field(0), out int item))
            {
                continue;
            }

            seen[item] ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (seen[item]!.Add(tag))
            {
                (tags[item] ??= new List<string>()).Add(tag);
            }
        }

        return tags;
    }

    private static string ComposeText(string title, string genres, List<string>? tags)
    {
        var parts = new List<string>(3) { title };
        var genreList = genres.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(g => !string.Equals(g, NoGenres, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (genreList.Length > 0)
        {
            parts.Add(string.Join(", ", genreList));
        }

        if (tags is { Count: > 0 })
        {
            parts.Add(string.Join(", ", tags));
        }

        return string.Join(" | ", parts);
    }
}
