using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative;

/// <summary>One history as a window of a sequence: items Sequence[Start .. Start + Length), oldest first.</summary>
/// <param name="UserIndex">The user (for the hashed user token); negative = unknown.</param>
/// <param name="Sequence">The user's item indices.</param>
/// <param name="Start">First item of the window.</param>
/// <param name="Length">Items in the window (0 for an empty history).</param>
internal readonly record struct HistorySlice(int UserIndex, int[] Sequence, int Start, int Length);

/// <summary>
/// A batch of right-padded histories as device tensors, built with one flat array per tensor (no per-token
/// tensor work): item ids shifted by one (0 = padding), lengths, optional user tokens and, for decoder-only
/// training, the item that follows each position.
/// </summary>
internal sealed class HistoryInputs
{
    private HistoryInputs(Tensor items, Tensor lengths, Tensor? users, Tensor? nextItems, int rows, int time)
    {
        Items = items;
        Lengths = lengths;
        Users = users;
        NextItems = nextItems;
        Rows = rows;
        Time = time;
    }

    /// <summary>[B, T] item index + 1, 0 for padding.</summary>
    public Tensor Items { get; }

    /// <summary>[B] number of real items (int64).</summary>
    public Tensor Lengths { get; }

    /// <summary>[B] user tokens, or null without user tokens.</summary>
    public Tensor? Users { get; }

    /// <summary>[B, T] next item index + 1 after each position (0 = none), or null.</summary>
    public Tensor? NextItems { get; }

    public int Rows { get; }

    /// <summary>T, the longest history in the batch (at least 1, so empty histories still have one padded slot).</summary>
    public int Time { get; }

    /// <summary>Builds the tensors on <paramref name="device"/>; <paramref name="withNextItems"/> also fills <see cref="NextItems"/>.</summary>
    public static HistoryInputs Build(IReadOnlyList<HistorySlice> slices, GenerativeVocabulary vocabulary, Device device, bool withNextItems)
    {
        int rows = slices.Count;
        int time = 1;
        for (int b = 0; b < rows; b++)
        {
            time = Math.Max(time, slices[b].Length);
        }

        var items = new long[rows * time];
        var next = withNextItems ? new long[rows * time] : null;
        var lengths = new long[rows];
        var users = vocabulary.UseUserToken ? new long[rows] : null;
        for (int b = 0; b < rows; b++)
        {
            HistorySlice slice = slices[b];
            for (int t = 0; t < slice.Length; t++)
            {
                items[(b * time) + t] = slice.Sequence[slice.Start + t] + 1;
                if (next != null)
                {
                    next[(b * time) + t] = slice.Sequence[slice.Start + t + 1] + 1;
                }
            }

            lengths[b] = slice.Length;
            if (users != null)
            {
                users[b] = vocabulary.UserToken(slice.UserIndex);
            }
        }

        return new HistoryInputs(
            tensor(items, device: device).view(rows, time),
            tensor(lengths, device: device),
            users is null ? null : tensor(users, device: device),
            next is null ? null : tensor(next, device: device).view(rows, time),
            rows,
            time);
    }
}
