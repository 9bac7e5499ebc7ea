namespace GenRec.MLNet.Generative;

/// <summary>
/// The training examples as windows of the users' training sequences, stored as three flat arrays.
/// Encoder-decoder: one example per prefix — for every position t ≥ 1 the window of the (at most H) items
/// before t, predicting item t. Decoder-only: windows of at most H items ending at the last target and tiling
/// backwards, each position predicting the item after it, so every training item after the first is a target
/// exactly once (as with the prefixes) but a window of n items costs one forward pass, not n.
/// </summary>
internal sealed class GenerativeExamples
{
    private readonly int[] _user;
    private readonly int[] _start;
    private readonly int[] _length;

    public GenerativeExamples(IReadOnlyList<int[]> sequences, int maxHistory, bool windows)
    {
        var user = new List<int>();
        var start = new List<int>();
        var length = new List<int>();
        for (int u = 0; u < sequences.Count; u++)
        {
            int n = sequences[u].Length;
            if (windows)
            {
                // Window inputs s[a .. e−1] predict s[a+1 .. e]; the next window ends where this one starts.
                for (int e = n - 1; e >= 1; e -= maxHistory)
                {
                    int a = Math.Max(0, e - maxHistory);
                    user.Add(u);
                    start.Add(a);
                    length.Add(e - a);
                }
            }
            else
            {
                for (int t = 1; t < n; t++)
                {
                    int a = Math.Max(0, t - maxHistory);
                    user.Add(u);
                    start.Add(a);
                    length.Add(t - a);
                }
            }
        }

        _user = user.ToArray();
        _start = start.ToArray();
        _length = length.ToArray();
        Sequences = sequences;
        TargetCount = _length.Sum(l => (long)(windows ? l : 1));
        Windows = windows;
    }

    public IReadOnlyList<int[]> Sequences { get; }

    /// <summary>Examples (prefixes or windows).</summary>
    public int Count => _user.Length;

    /// <summary>Predicted items over all examples (= training items after each user's first).</summary>
    public long TargetCount { get; }

    /// <summary>Whether examples are decoder-only windows (every position is a target).</summary>
    public bool Windows { get; }

    /// <summary>History length of an example (window length for decoder-only).</summary>
    public int Length(int example) => _length[example];

    /// <summary>Predicted items of an example.</summary>
    public int Targets(int example) => Windows ? _length[example] : 1;

    /// <summary>The example's history window.</summary>
    public HistorySlice Slice(int example) => new(_user[example], Sequences[_user[example]], _start[example], _length[example]);

    /// <summary>The item an encoder-decoder example predicts (the one right after its window).</summary>
    public int Target(int example) => Sequences[_user[example]][_start[example] + _length[example]];
}
