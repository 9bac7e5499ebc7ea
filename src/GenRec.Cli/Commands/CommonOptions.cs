using System.CommandLine;
using GenRec.Cli.Input;

namespace GenRec.Cli.Commands;

/// <summary>Options several commands share, declared once so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Interactions(bool required = true) => new("--interactions", "-i")
    {
        Description = "Interactions file (CSV with User,Item[,Timestamp] header; a MovieLens folder or ratings.csv; .inter; .json; LightGCN train.txt)",
        Required = required,
    };

    public static Option<string?> Items(string description) => new("--items") { Description = description };

    public static Option<string?> Format() => new Option<string?>("--format", "-f")
    {
        Description = "Interactions format; inferred from the path when left out",
    }.AcceptOnlyFromAmong(InteractionFormats.Names);

    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "Model zip written by 'genrec train'",
        Required = true,
    };

    public static InteractionFormat? ParseFormat(string? value) => value is null ? null : InteractionFormats.Parse(value);
}
