using GenRec.MLNet.Evaluation;

namespace GenRec.MLNet.Tests.Synthetic;

/// <summary>
/// Minimal leave-last-out split for these tests (the library's own splits live elsewhere and are tested there):
/// each user's last item is the target, everything before it is both training data and the request history.
/// </summary>
internal static class LeaveLastOut
{
    public static (int[][] Train, List<EvaluationCase> Cases) Split(int[][] sequencesByUser)
    {
        var train = new int[sequencesByUser.Length][];
        var cases = new List<EvaluationCase>();
        for (int u = 0; u < sequencesByUser.Length; u++)
        {
            int[] sequence = sequencesByUser[u];
            train[u] = sequence.Length > 1 ? sequence[..^1] : sequence;
            if (sequence.Length > 1)
            {
                cases.Add(new EvaluationCase(u, train[u], [sequence[^1]]));
            }
        }

        return (train, cases);
    }
}
