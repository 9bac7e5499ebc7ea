using System.Globalization;

namespace GenRec.Samples.QuickStart;

/// <summary>The command line: an optional output folder, and the generated shop's size (<c>--users</c>, <c>--items</c>).</summary>
internal sealed record QuickStartArguments(string OutputFolder, int Users, int Items)
{
    /// <summary>The generator's 8 categories × 4 subcategories each need an item (and a user's 30 purchases never repeat one).</summary>
    public const int MinimumItems = 32;

    /// <summary>Fewer users leave the generative stage too few histories to train on and to hold out for validation.</summary>
    public const int MinimumUsers = 10;

    public const string Usage =
        "usage: dotnet run --project samples/QuickStart -- [OUTPUT_FOLDER] [--users N] [--items N]\n" +
        "  OUTPUT_FOLDER  where model.zip and items.tsv are written (default: quickstart-output)\n" +
        "  --users N      users in the generated shop (default 2000, at least 10)\n" +
        "  --items N      items in the generated shop (default 1000, at least 32); a smaller shop trains in seconds";

    /// <summary>Reads the arguments; a wrong one is an <see cref="ArgumentException"/> whose message names it.</summary>
    public static QuickStartArguments Parse(string[] args)
    {
        string? folder = null;
        int users = 2000;
        int items = 1000;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--users":
                    users = WholeNumber(args, ref i, MinimumUsers);
                    break;
                case "--items":
                    items = WholeNumber(args, ref i, MinimumItems);
                    break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option '{flag}'.");
                default:
                    folder = folder is null ? args[i] : throw new ArgumentException($"One output folder only; '{args[i]}' is a second.");
                    break;
            }
        }

        string outputFolder = Path.GetFullPath(folder ?? "quickstart-output");
        return File.Exists(outputFolder)
            ? throw new ArgumentException($"The output folder '{outputFolder}' is a file.")
            : new QuickStartArguments(outputFolder, users, items);
    }

    private static int WholeNumber(string[] args, ref int i, int minimum)
    {
        string option = args[i];
        string value = ++i < args.Length ? args[i] : throw new ArgumentException($"{option} needs a value.");
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= minimum
            ? number
            : throw new ArgumentException($"{option} needs a whole number of at least {minimum}, not '{value}'.");
    }
}
