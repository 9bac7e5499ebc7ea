using GenRec.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Cli.Input;

/// <summary>
/// Reads <c>--interactions</c> (and <c>--items</c>) in any <see cref="InteractionFormat"/> into an
/// <see cref="InteractionTable"/>: CSV through ML.NET's TextLoader, the published formats through the library's loaders.
/// </summary>
public static class InteractionFileReader
{
    private static readonly string[] UserAliases = ["User", "UserId", "user_id", "user_id:token", "uid"];
    private static readonly string[] ItemAliases = ["Item", "ItemId", "item_id", "item_id:token", "movieId", "iid"];
    private static readonly string[] TimestampAliases = ["Timestamp", "time", "ts", "timestamp:float"];
    private static readonly string[] TitleAliases = ["Title", "Name", "Text", "title:token_seq"];

    /// <summary>Reads interactions; <paramref name="format"/> null infers it from the path.</summary>
    /// <param name="ml">The context whose TextLoader reads CSV.</param>
    /// <param name="path">The interactions file (a folder for MovieLens).</param>
    /// <param name="format">The layout, or null to infer it (<see cref="InteractionFormats.Infer"/>).</param>
    /// <param name="itemsPath">Optional items file: titles (CSV <c>Item,Title</c>, MovieLens <c>movies.csv</c>, Amazon or RecBole item files).</param>
    public static InteractionTable Read(MLContext ml, string path, InteractionFormat? format, string? itemsPath)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliException($"{path}: interactions file not found");
        }

        if (itemsPath != null)
        {
            CsvHeader.RequireFile(itemsPath, "items file");
        }

        InteractionFormat layout = format ?? InteractionFormats.Infer(path);
        try
        {
            return layout switch
            {
                InteractionFormat.Csv => ReadCsv(ml, path, itemsPath),
                InteractionFormat.MovieLens => ReadMovieLens(path, itemsPath),
                InteractionFormat.AmazonJson => FromDataset(path, AmazonJsonLoader.Load(path, itemsPath), itemsPath),
                InteractionFormat.RecBole => FromDataset(path, RecBoleAtomicLoader.Load(path, itemsPath), itemsPath),
                _ => ReadLightGcn(path),
            };
        }
        catch (Exception e) when (e is DataFormatException or FileNotFoundException)
        {
            // The loaders' messages already name the file and line; they only lose their exception type here.
            throw new CliException(e.Message);
        }
    }

    /// <summary>Item ID → title from a CSV whose first column (or <c>Item</c>/<c>movieId</c>) is the ID and whose <c>Title</c> column (or second) is the title.</summary>
    public static IReadOnlyDictionary<string, string> ReadTitles(MLContext ml, string itemsPath)
    {
        var header = CsvHeader.Read(itemsPath);
        int id = Math.Max(0, header.Find(ItemAliases));
        int title = header.Find(TitleAliases);
        if (title < 0)
        {
            title = id == 0 ? 1 : 0;
        }

        int genres = header.Find("genres");
        var columns = new List<TextLoader.Column>
        {
            new("Item", DataKind.String, id),
            new("Title", DataKind.String, title),
        };
        if (genres >= 0)
        {
            columns.Add(new TextLoader.Column("Genres", DataKind.String, genres));
        }

        IDataView view = ml.Data.LoadFromTextFile(itemsPath, columns.ToArray(), separatorChar: ',', hasHeader: true, allowQuoting: true);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cursor = view.GetRowCursor(view.Schema);
        var getItem = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Item"]);
        var getTitle = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Title"]);
        ValueGetter<ReadOnlyMemory<char>>? getGenres = genres >= 0 ? cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Genres"]) : null;
        ReadOnlyMemory<char> item = default, text = default, kinds = default;
        while (cursor.MoveNext())
        {
            getItem(ref item);
            getTitle(ref text);
            string value = text.ToString().Trim();
            if (getGenres != null)
            {
                getGenres(ref kinds);
                string g = kinds.ToString().Trim();
                value = g.Length == 0 || g == "(no genres listed)" ? value : $"{value} ({g.Replace("|", ", ", StringComparison.Ordinal)})";
            }

            string key = item.ToString().Trim();
            if (key.Length > 0)
            {
                titles[key] = value;
            }
        }

        return titles;
    }

    private static InteractionTable ReadCsv(MLContext ml, string path, string? itemsPath)
    {
        var header = CsvHeader.Read(path);
        int user = header.Require("user", UserAliases);
        int item = header.Require("item", ItemAliases);
        int time = header.Find(TimestampAliases);
        var columns = new List<TextLoader.Column>
        {
            new("User", DataKind.String, user),
            new("Item", DataKind.String, item),
        };
        if (time >= 0)
        {
            columns.Add(new TextLoader.Column("Timestamp", DataKind.Double, time));
        }

        IDataView view = ml.Data.LoadFromTextFile(path, columns.ToArray(), separatorChar: ',', hasHeader: true, allowQuoting: true);
        var rows = new List<InteractionRow>();
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var getUser = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["User"]);
            var getItem = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Item"]);
            ValueGetter<double>? getTime = time >= 0 ? cursor.GetGetter<double>(view.Schema["Timestamp"]) : null;
            ReadOnlyMemory<char> u = default, i = default;
            double t = 0;
            while (cursor.MoveNext())
            {
                getUser(ref u);
                getItem(ref i);
                long line = rows.Count + 2; // 1-based, after the header
                string userId = u.ToString().Trim(), itemId = i.ToString().Trim();
                if (userId.Length == 0 || itemId.Length == 0)
                {
                    throw new CliException($"{path} line {line}: empty {(userId.Length == 0 ? "user" : "item")} ID");
                }

                getTime?.Invoke(ref t);
                if (getTime != null && !double.IsFinite(t))
                {
                    throw new CliException($"{path} line {line}: the timestamp is not a number");
                }

                rows.Add(new InteractionRow { User = userId, Item = itemId, Timestamp = getTime != null ? t : rows.Count });
            }
        }

        var titles = itemsPath != null ? ReadTitles(ml, itemsPath) : new Dictionary<string, string>();
        return new InteractionTable(path, rows, titles, time >= 0);
    }

    private static InteractionTable ReadMovieLens(string path, string? itemsPath)
    {
        string folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string ratings = Directory.Exists(path) ? Path.Combine(folder, "ratings.csv") : path;
        string movies = itemsPath ?? Path.Combine(folder, "movies.csv");
        CsvHeader.RequireFile(ratings, "MovieLens ratings.csv");
        CsvHeader.RequireFile(movies, "MovieLens movies.csv (pass it with --items)");
        // Tags would lengthen every title shown by `recommend`; titles and genres are what a person reads.
        return FromDataset(ratings, MovieLensLoader.Load(ratings, movies), movies);
    }

    private static InteractionTable ReadLightGcn(string path)
    {
        string test = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "test.txt");
        if (!File.Exists(test))
        {
            throw new CliException($"{path}: the LightGCN format needs its test.txt beside train.txt ({test} not found)");
        }

        return FromDataset(path, LightGcnFormatLoader.Load(path, test).Train, null);
    }

    private static InteractionTable FromDataset(string path, InteractionDataset data, string? itemsPath)
    {
        var rows = new InteractionRow[data.InteractionCount];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new InteractionRow
            {
                User = data.UserIds[data.UserIndices[i]],
                Item = data.ItemIds[data.ItemIndices[i]],
                Timestamp = data.Timestamps is { } times ? times[i] : i,
            };
        }

        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.ItemText is { } text && itemsPath != null)
        {
            for (int item = 0; item < data.ItemCount; item++)
            {
                if (!string.IsNullOrWhiteSpace(text[item]))
                {
                    titles[data.ItemIds[item]] = text[item]!;
                }
            }
        }

        return new InteractionTable(path, rows, titles, data.Timestamps != null);
    }
}
