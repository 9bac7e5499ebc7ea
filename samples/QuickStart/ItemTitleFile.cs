using System.Text;

namespace GenRec.Samples.QuickStart;

/// <summary>
/// Item titles as a two-column tab-separated file (<c>Item</c>, <c>Title</c>, with a header). The model zip holds item
/// IDs only; this file lets a reader of the recommendations (and samples/ServeModel) show what the items are.
/// </summary>
internal static class ItemTitleFile
{
    public static void Write(string path, IReadOnlyList<string> itemIds, IReadOnlyList<string> titles)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine("Item\tTitle");
        for (int i = 0; i < itemIds.Count; i++)
        {
            writer.WriteLine($"{Field(itemIds[i])}\t{Field(titles[i])}");
        }
    }

    public static Dictionary<string, string> Read(string path) =>
        File.ReadLines(path).Skip(1).Select(line => line.Split('\t')).ToDictionary(fields => fields[0], fields => fields[1], StringComparer.Ordinal);

    // A tab or line break inside a field would shift the columns; the generated IDs and titles have none.
    private static string Field(string value) =>
        value.IndexOfAny(['\t', '\n', '\r']) < 0 ? value : throw new InvalidOperationException($"'{value}' contains a tab or line break.");
}
