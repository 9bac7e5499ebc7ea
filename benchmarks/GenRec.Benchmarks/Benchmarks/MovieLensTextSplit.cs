using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// MovieLens as <c>presets-movielens</c> feeds it to every row and baseline: <see cref="ViaMlNet.LeaveLastOut"/>'s rows
/// (each user's time-ordered movies without the last for training, the last as the test row) with each movie's text
/// on every row, and the same split as item-index sequences for the baselines, so every row and baseline is scored on
/// the same users and targets.
/// </summary>
/// <remarks>
/// The validation item is the one before the test item: each trainer of a row holds out the last item of the rows it
/// is fitted on (<c>HoldOutLastItemForValidation</c>), and the test item is never among those rows.
/// </remarks>
internal sealed class MovieLensTextSplit
{
    private MovieLensTextSplit(List<TitledRow> train, List<TitledRow> test, int[][] trainSequences, EvaluationCase[] cases, int itemCount)
    {
        TrainRows = train;
        TestRows = test;
        TrainSequences = trainSequences;
        Cases = cases;
        ItemCount = itemCount;
    }

    /// <summary>Training rows: user, movie, position in the user's sequence, movie text.</summary>
    public List<TitledRow> TrainRows { get; }

    /// <summary>One row per test user: the user and the held-out last movie (with its text, which the text stage reads).</summary>
    public List<TitledRow> TestRows { get; }

    /// <summary>Each user's training movies (item indices, oldest first); empty for users with fewer than 3 movies.</summary>
    public int[][] TrainSequences { get; }

    /// <summary>The test cases of the baselines: the whole training sequence as history, the last movie as target.</summary>
    public EvaluationCase[] Cases { get; }

    /// <summary>Movies in the dataset (the baselines' item space).</summary>
    public int ItemCount { get; }

    /// <summary>Splits <paramref name="data"/>, which must carry item text.</summary>
    public static MovieLensTextSplit Create(InteractionDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        IReadOnlyList<string?> texts = data.ItemText ?? throw new ArgumentException("The MovieLens dataset has no item text (movies.csv was not loaded).", nameof(data));
        var textOf = new Dictionary<string, string>(data.ItemCount, StringComparer.Ordinal);
        for (int i = 0; i < data.ItemCount; i++)
        {
            textOf[data.ItemIds[i]] = texts[i] ?? string.Empty;
        }

        var (train, test) = ViaMlNet.LeaveLastOut(data);
        TitledRow Titled(ViaMlNet.InteractionRow row) => new() { User = row.User, Item = row.Item, Timestamp = row.Timestamp, Text = textOf[row.Item] };

        int[][] sequences = data.SequencesByUser();
        int[][] trainSequences = [.. sequences.Select(s => s.Length >= 3 ? s[..^1] : [])];
        EvaluationCase[] cases = [.. sequences.Select((s, user) => (s, user)).Where(p => p.s.Length >= 3).Select(p => new EvaluationCase(p.user, p.s[..^1], [p.s[^1]]))];
        return new MovieLensTextSplit([.. train.Select(Titled)], [.. test.Select(Titled)], trainSequences, cases, data.ItemCount);
    }

    /// <summary>
    /// Popularity and co-occurrence (window 1) trained on exactly the rows the pipelines' Fit sees, scored on the same
    /// test targets; <paramref name="excludeHistory"/> leaves each user's training movies out of the ranking, as the rows do.
    /// </summary>
    public (MetricsTable Popularity, MetricsTable CoOccurrence) Baselines(int[] ks, bool excludeHistory, CancellationToken cancellationToken)
    {
        var popularity = new PopularityRecommender(TrainSequences, ItemCount);
        var coOccurrence = new CoOccurrenceRecommender(TrainSequences, ItemCount);
        return (
            RecommenderEvaluator.Evaluate(popularity, Cases, ks, excludeHistory, cancellationToken: cancellationToken),
            RecommenderEvaluator.Evaluate(coOccurrence, Cases, ks, excludeHistory, cancellationToken: cancellationToken));
    }

    /// <summary>An interaction row as a user loads it: user, movie, order, and the movie's "Title | Genres" text.</summary>
    public sealed class TitledRow
    {
        public string User { get; set; } = "";

        public string Item { get; set; } = "";

        public double Timestamp { get; set; }

        public string Text { get; set; } = "";
    }
}
