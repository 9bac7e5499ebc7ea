namespace GenRec.Cli.Input;

/// <summary>Names of <see cref="InteractionFormat"/> on the command line, and the format a path implies.</summary>
public static class InteractionFormats
{
    /// <summary>The spellings <c>--format</c> accepts, in the order help lists them.</summary>
    public static readonly string[] Names = ["csv", "amazon-json", "movielens", "recbole", "lightgcn"];

    /// <summary>Parses a <c>--format</c> value; an unknown one is a <see cref="CliException"/> listing the known ones.</summary>
    public static InteractionFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "csv" => InteractionFormat.Csv,
        "amazon-json" => InteractionFormat.AmazonJson,
        "movielens" => InteractionFormat.MovieLens,
        "recbole" => InteractionFormat.RecBole,
        "lightgcn" => InteractionFormat.LightGcn,
        _ => throw new CliException($"unknown format '{name}': use one of {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The format of <paramref name="path"/> when <c>--format</c> is not given: a folder or <c>ratings.csv</c> is
    /// MovieLens, <c>.inter</c> RecBole, <c>.json</c>/<c>.jsonl</c> Amazon, <c>.txt</c> LightGCN, anything else CSV.
    /// </summary>
    public static InteractionFormat Infer(string path)
    {
        if (Directory.Exists(path) || Path.GetFileName(path).Equals("ratings.csv", StringComparison.OrdinalIgnoreCase))
        {
            return InteractionFormat.MovieLens;
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".inter" => InteractionFormat.RecBole,
            ".json" or ".jsonl" => InteractionFormat.AmazonJson,
            ".txt" => InteractionFormat.LightGcn,
            _ => InteractionFormat.Csv,
        };
    }

    /// <summary>The command-line spelling of <paramref name="format"/>.</summary>
    public static string Name(InteractionFormat format) => Names[(int)format];
}
