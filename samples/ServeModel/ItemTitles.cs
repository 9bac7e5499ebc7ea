namespace GenRec.Samples.ServeModel;

/// <summary>Reads an item-title file: tab-separated, a header line, then item ID and title on each line.</summary>
internal static class ItemTitles
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"GenRec:ItemTitlesPath names '{Path.GetFullPath(path)}', which does not exist.", path);
        }

        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 1;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            lineNumber++;
            string[] fields = line.Split('\t');
            if (fields.Length != 2)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: expected 2 tab-separated fields (item ID, title), found {fields.Length}.");
            }

            titles[fields[0]] = fields[1];
        }

        return titles;
    }
}
