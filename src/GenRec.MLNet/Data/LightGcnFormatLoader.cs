using System.Globalization;

namespace GenRec.MLNet.Data;

/// <summary>
/// Loads the LightGCN / TokenRec split format: <c>train.txt</c> and <c>test.txt</c>, one line per user,
/// <c>"user item item ..."</c> with integer indices.
/// </summary>
/// <remarks>
/// <para>The integers are the indices: user u is index u and item i is index i, with IDs u.ToString() and
/// i.ToString(), and both files share the space (count = largest index in either file + 1), so that
/// embeddings trained on one file line up with targets read from the other.</para>
/// <para>Test files come in two flavours: the TokenRec authors write the full training line plus the held-out
/// item(s); LightGCN's own files hold only the held-out items. Both work because the test items of a user are
/// taken as the test line minus that user's training items (order kept, duplicates dropped).</para>
/// <para>A line holding only a user index means a user without items. A user may appear on one line per file.</para>
/// </remarks>
public static class LightGcnFormatLoader
{
    private static readonly char[] Whitespace = [' ', '\t'];

    /// <summary>Loads a train/test pair of LightGCN-format files.</summary>
    /// <param name="trainPath">The training file (e.g. <c>train.txt</c>).</param>
    /// <param name="testPath">The test file (e.g. <c>test.txt</c>).</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DataFormatException">A value is not a non-negative integer or a user repeats; the message names the file and line.</exception>
    public static LightGcnData Load(string trainPath, string testPath)
    {
        InputFile.EnsureExists(trainPath, "LightGCN train");
        InputFile.EnsureExists(testPath, "LightGCN test");
        var train = ReadLines(trainPath, "LightGCN train");
        var test = ReadLines(testPath, "LightGCN test");

        int maxUser = -1, maxItem = -1;
        foreach (var (user, items) in train.Concat(test))
        {
            maxUser = Math.Max(maxUser, user);
            foreach (int item in items)
            {
                maxItem = Math.Max(maxItem, item);
            }
        }

        int userCount = maxUser + 1, itemCount = maxItem + 1;
        var userIndices = new List<int>();
        var itemIndices = new List<int>();
        var trainItemsOf = new HashSet<int>?[userCount];
        foreach (var (user, items) in train)
        {
            trainItemsOf[user] = new HashSet<int>(items);
            foreach (int item in items)
            {
                userIndices.Add(user);
                itemIndices.Add(item);
            }
        }

        var testItems = new int[userCount][];
        Array.Fill(testItems, Array.Empty<int>());
        foreach (var (user, items) in test)
        {
            var known = trainItemsOf[user];
            var seen = new HashSet<int>();
            testItems[user] = items.Where(i => (known == null || !known.Contains(i)) && seen.Add(i)).ToArray();
        }

        var dataset = new InteractionDataset(Names(userCount), Names(itemCount), userIndices.ToArray(), itemIndices.ToArray());
        return new LightGcnData(dataset, testItems);
    }

    private static List<(int User, int[] Items)> ReadLines(string path, string what)
    {
        var lines = new List<(int, int[])>();
        var lineOfUser = new Dictionary<int, long>();
        foreach (var (number, text) in InputFile.ReadLines(path, what))
        {
            var fields = text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            int user = ParseIndex(fields[0], "user", path, number);
            if (!lineOfUser.TryAdd(user, number))
            {
                throw new DataFormatException(path, number, $"user {user} already has a line (line {lineOfUser[user]}).");
            }

            var items = new int[fields.Length - 1];
            for (int f = 1; f < fields.Length; f++)
            {
                items[f - 1] = ParseIndex(fields[f], "item", path, number);
            }

            lines.Add((user, items));
        }

        return lines;
    }

    private static int ParseIndex(string field, string what, string path, long line)
    {
        if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new DataFormatException(path, line, $"{what} index '{field}' is not a non-negative integer.");
        }

        return value;
    }

    private static string[] Names(int count)
    {
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }
}
