using System.Globalization;
using System.Text;
using GenRec.MLNet.Data;

/// <summary>
/// <c>--export-interactions FILE</c>: writes the demo's generated shop as <c>User,Item,Timestamp</c> rows (string,
/// string, number; one row per interaction in generation order), the input the README's pipeline program reads from
/// <c>interactions.csv</c>. CI uses it to run that program in a fresh app built from the packed package.
/// </summary>
internal static class InteractionCsvExport
{
    public const string Flag = "--export-interactions";

    public static void Run(string[] args, InteractionDataset data)
    {
        if (args.Length != 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            Console.Error.WriteLine($"usage: GenRec.Demo {Flag} FILE");
            Environment.ExitCode = 2;
            return;
        }

        Write(data, args[1]);
    }

    public static void Write(InteractionDataset data, string path)
    {
        long[] timestamps = data.Timestamps
            ?? throw new InvalidOperationException("The generated catalog has no timestamps to export.");
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine("User,Item,Timestamp");
        for (int i = 0; i < data.InteractionCount; i++)
        {
            string user = Field(data.UserIds[data.UserIndices[i]]);
            string item = Field(data.ItemIds[data.ItemIndices[i]]);
            writer.WriteLine($"{user},{item},{timestamps[i].ToString(CultureInfo.InvariantCulture)}");
        }

        Console.WriteLine($"Wrote {data.InteractionCount:N0} interactions ({data.UserCount:N0} users, {data.ItemCount:N0} items) to {Path.GetFullPath(path)}.");
    }

    // The IDs are plain tokens such as user_0042; the file is read without quoting, so refuse anything else.
    private static string Field(string id) =>
        id.IndexOfAny([',', '"', '\n', '\r']) < 0 ? id : throw new InvalidOperationException($"ID '{id}' cannot be written unquoted.");
}
