using System.Globalization;
using GenRec.MLNet.Data;

namespace GenRec.Samples.MovieLens;

/// <summary>The command line: an optional MovieLens folder, <c>--minutes</c> (the training budget) and <c>--seed</c>.</summary>
internal sealed record SampleArguments(string Folder, double Minutes, int Seed)
{
    public const string Usage =
        "usage: dotnet run --project samples/MovieLens -- [MOVIELENS_FOLDER] [--minutes M] [--seed S]\n" +
        "  MOVIELENS_FOLDER  holds ratings.csv and movies.csv (default: ml-latest-small in GENREC_DATASETS or ../shared/datasets)\n" +
        "  --minutes M       training budget for SASRec and the generative model together (default 5)\n" +
        "  --seed S          MLContext seed (default 0)";

    /// <summary>Reads the arguments; a wrong one is an <see cref="ArgumentException"/> whose message says what is wrong.</summary>
    public static SampleArguments Parse(string[] args)
    {
        string? folder = null;
        double minutes = 5;
        int seed = 0;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--minutes":
                    minutes = double.TryParse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out double m) && m > 0
                        ? m : throw new ArgumentException($"--minutes needs a positive number, not '{args[i]}'.");
                    break;
                case "--seed":
                    seed = int.TryParse(Value(args, ref i), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s)
                        ? s : throw new ArgumentException($"--seed needs an integer, not '{args[i]}'.");
                    break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option '{flag}'.");
                default:
                    folder = folder is null ? args[i] : throw new ArgumentException($"One MovieLens folder only; '{args[i]}' is a second.");
                    break;
            }
        }

        return new SampleArguments(folder ?? DefaultFolder(), minutes, seed);
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    /// <summary>ml-latest-small in the shared datasets folder: GENREC_DATASETS, else ../shared/datasets above the repository.</summary>
    private static string DefaultFolder()
    {
        string? shared = DatasetPaths.FindSharedDatasets();
        return shared is not null
            ? Path.Combine(shared, "ml-latest-small")
            : throw new ArgumentException("No MovieLens folder given and no shared datasets folder found; looked in " +
                                          string.Join(", ", DatasetPaths.CandidateDirectories()) + ". Pass the folder that holds ratings.csv and movies.csv.");
    }
}
