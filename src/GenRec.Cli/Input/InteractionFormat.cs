namespace GenRec.Cli.Input;

/// <summary>The interaction file layouts <c>--format</c> accepts (the library's loaders, plus plain CSV).</summary>
public enum InteractionFormat
{
    /// <summary>A CSV with a header naming <c>User</c>, <c>Item</c> and optionally <c>Timestamp</c> columns.</summary>
    Csv,

    /// <summary>Amazon <c>*.inter.json</c> (with an optional <c>*.item.json</c> as items), as TIGER/LETTER use.</summary>
    AmazonJson,

    /// <summary>A MovieLens folder or its <c>ratings.csv</c> (titles and genres from <c>movies.csv</c>).</summary>
    MovieLens,

    /// <summary>A RecBole atomic <c>.inter</c> file (with an optional <c>.item</c> file as items).</summary>
    RecBole,

    /// <summary>LightGCN's <c>train.txt</c> (one user and their items per line); its sibling <c>test.txt</c> is read too.</summary>
    LightGcn,
}
