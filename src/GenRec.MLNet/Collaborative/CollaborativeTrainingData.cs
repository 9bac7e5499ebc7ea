using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Collaborative;

/// <summary>
/// What the collaborative trainers read: each user's training items in order, plus optional validation
/// cases for early stopping. Built from an <see cref="Data.InteractionDataset"/> or a split.
/// </summary>
public sealed class CollaborativeTrainingData
{
    /// <summary>Creates the training data; sequences are indexed by user and hold item indices.</summary>
    public CollaborativeTrainingData(int userCount, int itemCount, int[][] trainSequences, IReadOnlyList<EvaluationCase>? validationCases = null)
    {
        ArgumentNullException.ThrowIfNull(trainSequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(userCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        if (trainSequences.Length != userCount)
        {
            throw new ArgumentException($"trainSequences has {trainSequences.Length} users but userCount is {userCount}.", nameof(trainSequences));
        }

        long interactions = 0;
        for (int u = 0; u < trainSequences.Length; u++)
        {
            foreach (int item in trainSequences[u] ?? throw new ArgumentException($"The sequence of user {u} is null.", nameof(trainSequences)))
            {
                if ((uint)item >= (uint)itemCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(trainSequences), $"User {u} has item index {item}, outside 0..{itemCount - 1}.");
                }
            }

            interactions += trainSequences[u].Length;
        }

        if (interactions == 0)
        {
            throw new ArgumentException("The training data has no interactions.", nameof(trainSequences));
        }

        UserCount = userCount;
        ItemCount = itemCount;
        TrainSequences = trainSequences;
        ValidationCases = validationCases;
        InteractionCount = interactions;
    }

    /// <summary>Number of users.</summary>
    public int UserCount { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount { get; }

    /// <summary>Training items of each user, oldest first.</summary>
    public int[][] TrainSequences { get; }

    /// <summary>Validation cases for early stopping, or null.</summary>
    public IReadOnlyList<EvaluationCase>? ValidationCases { get; }

    /// <summary>Total training interactions.</summary>
    public long InteractionCount { get; }

    /// <summary>
    /// Holds out each user's last item (users with at least 2 items) as a validation case, training on the rest.
    /// </summary>
    public static CollaborativeTrainingData WithLastItemHeldOut(int userCount, int itemCount, int[][] sequences, int maxValidationUsers, int seed)
    {
        var train = new int[sequences.Length][];
        var cases = new List<EvaluationCase>();
        for (int u = 0; u < sequences.Length; u++)
        {
            int[] s = sequences[u];
            if (s.Length >= 2)
            {
                train[u] = s[..^1];
                cases.Add(new EvaluationCase(u, train[u], new[] { s[^1] }));
            }
            else
            {
                train[u] = s;
            }
        }

        if (maxValidationUsers > 0 && cases.Count > maxValidationUsers)
        {
            var random = new Random(seed);
            cases = cases.OrderBy(_ => random.Next()).Take(maxValidationUsers).OrderBy(c => c.UserIndex).ToList();
        }

        return new CollaborativeTrainingData(userCount, itemCount, train, cases.Count > 0 ? cases : null);
    }
}
