using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Data;

/// <summary>
/// One evaluation case of a sequential split: a user, the history the model sees, and the item to predict next.
/// </summary>
public sealed class SequenceCase
{
    /// <summary>Creates a case.</summary>
    /// <param name="userIndex">0-based user index.</param>
    /// <param name="fullHistory">All earlier items of the user, oldest first.</param>
    /// <param name="history">The model input: the last items of <paramref name="fullHistory"/> (possibly all of them).</param>
    /// <param name="target">The item to predict.</param>
    public SequenceCase(int userIndex, int[] fullHistory, int[] history, int target)
    {
        ArgumentNullException.ThrowIfNull(fullHistory);
        ArgumentNullException.ThrowIfNull(history);
        UserIndex = userIndex;
        FullHistory = fullHistory;
        History = history;
        Target = target;
    }

    /// <summary>0-based user index.</summary>
    public int UserIndex { get; }

    /// <summary>Model input: the last at most <c>maxHistory</c> items before the target, oldest first.</summary>
    public int[] History { get; }

    /// <summary>Every item before the target, oldest first (e.g. for excluding seen items from rankings).</summary>
    public int[] FullHistory { get; }

    /// <summary>The held-out item to predict.</summary>
    public int Target { get; }

    /// <summary>The evaluator's request for this case (user and capped history).</summary>
    public RecommendationRequest ToRequest() => new(UserIndex, History);

    /// <inheritdoc />
    public override string ToString() => $"user {UserIndex}: [{string.Join(", ", History)}] -> {Target}";
}
