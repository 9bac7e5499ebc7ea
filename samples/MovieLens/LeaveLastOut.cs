using GenRec.MLNet.Data;
using GenRec.MLNet.Evaluation;

namespace GenRec.Samples.MovieLens;

/// <summary>
/// Leave-last-out: each user's last movie (in time order) is the test target; everything before it trains. The same
/// split feeds the ML.NET pipelines (rows) and the baselines (a dataset and evaluation cases), so every model is scored
/// on the same users and targets. Users with fewer than 3 movies are left out, as the library's splitters do.
/// </summary>
internal sealed class LeaveLastOut
{
    private LeaveLastOut(MovieRow[] train, MovieRow[] test, InteractionDataset trainDataset, EvaluationCase[] cases)
    {
        TrainRows = train;
        TestRows = test;
        TrainDataset = trainDataset;
        Cases = cases;
    }

    /// <summary>Training rows; the timestamp is the position in the user's history (only the order matters).</summary>
    public MovieRow[] TrainRows { get; }

    /// <summary>One row per test user: the user and the held-out movie (with its text, which the text stage reads).</summary>
    public MovieRow[] TestRows { get; }

    /// <summary>The training rows as a dataset in the original index space, for the baselines.</summary>
    public InteractionDataset TrainDataset { get; }

    /// <summary>Per test user: the whole training history and the held-out movie.</summary>
    public EvaluationCase[] Cases { get; }

    public static LeaveLastOut Split(InteractionDataset data)
    {
        int[][] sequences = data.SequencesByUser();
        var train = new List<MovieRow>();
        var test = new List<MovieRow>();
        var users = new List<int>();
        var items = new List<int>();
        var cases = new List<EvaluationCase>();
        for (int user = 0; user < sequences.Length; user++)
        {
            int[] sequence = sequences[user];
            if (sequence.Length < 3)
            {
                continue;
            }

            for (int position = 0; position < sequence.Length - 1; position++)
            {
                train.Add(Row(data, user, sequence[position], position));
                users.Add(user);
                items.Add(sequence[position]);
            }

            test.Add(Row(data, user, sequence[^1], sequence.Length - 1));
            cases.Add(new EvaluationCase(user, sequence[..^1], [sequence[^1]]));
        }

        var trainDataset = new InteractionDataset(data.UserIds, data.ItemIds, [.. users], [.. items]);
        return new LeaveLastOut([.. train], [.. test], trainDataset, [.. cases]);
    }

    private static MovieRow Row(InteractionDataset data, int user, int item, int position) => new()
    {
        User = data.UserIds[user],
        Item = data.ItemIds[item],
        Timestamp = position,
        Text = data.ItemText?[item] ?? "",
    };
}
