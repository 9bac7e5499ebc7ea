namespace GenRec.MLNet.Data;

/// <summary>
/// Loads the plain sequence form used by P5 / TIGER preprocessing (<c>user_sequence.txt</c>): one line per user,
/// <c>"user item item ..."</c>, whitespace-separated raw IDs, items in interaction order.
/// </summary>
/// <remarks>
/// Users and items are indexed in order of first appearance and keep their raw IDs. There are no timestamps in
/// this format, so each interaction's timestamp is its position in the user's line, which keeps the file's order
/// through <see cref="InteractionDatasetExtensions.OrderByTime"/>. Blank lines are skipped. A user may appear on
/// one line only, since a second line would make the sequence order ambiguous.
/// </remarks>
public static class UserSequenceLoader
{
    private static readonly char[] Whitespace = [' ', '\t'];

    /// <summary>Loads a user-sequence file.</summary>
    /// <param name="path">The <c>user_sequence.txt</c>-style file.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="DataFormatException">A line has no items or repeats a user; the message names the file and line.</exception>
    public static InteractionDataset Load(string path)
    {
        var users = new IdIndexer();
        var items = new IdIndexer();
        var userIndices = new List<int>();
        var itemIndices = new List<int>();
        var timestamps = new List<long>();
        var lineOfUser = new Dictionary<int, long>();

        foreach (var (number, text) in InputFile.ReadLines(path, "user sequence"))
        {
            var fields = text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length < 2)
            {
                throw new DataFormatException(path, number, $"expected a user ID followed by at least one item ID but found only '{fields[0]}'.");
            }

            int user = users.GetOrAdd(fields[0]);
            if (!lineOfUser.TryAdd(user, number))
            {
                throw new DataFormatException(path, number, $"user '{fields[0]}' already has a sequence on line {lineOfUser[user]}.");
            }

            for (int f = 1; f < fields.Length; f++)
            {
                userIndices.Add(user);
                itemIndices.Add(items.GetOrAdd(fields[f]));
                timestamps.Add(f - 1);
            }
        }

        return new InteractionDataset(users.Ids, items.Ids, userIndices.ToArray(), itemIndices.ToArray(), timestamps.ToArray());
    }
}
