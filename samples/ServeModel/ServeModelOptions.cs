namespace GenRec.Samples.ServeModel;

/// <summary>Where the model and (optionally) the item titles are; bound from the <c>GenRec</c> configuration section.</summary>
public sealed class ServeModelOptions
{
    /// <summary>The configuration section: <c>--GenRec:ModelPath=...</c> on the command line, <c>GenRec__ModelPath</c> in the environment.</summary>
    public const string Section = "GenRec";

    /// <summary>The saved model zip (required). Its pipeline must end with a <c>RecommendedItemIds</c> string vector and <c>Scores</c>.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Optional tab-separated file with a header and two columns, item ID and title (samples/QuickStart writes one).</summary>
    public string? ItemTitlesPath { get; set; }

    /// <summary>The model's user key column, whose key values are the users it knows (404 for others).</summary>
    public string UserKeyColumn { get; set; } = "UserId";

    /// <summary>The model's item key column, whose key values are the item IDs a posted history may name.</summary>
    public string ItemKeyColumn { get; set; } = "ItemId";

    /// <summary>The raw input column that carries a prediction history of item IDs, when the model was trained with one.</summary>
    public string HistoryColumn { get; set; } = nameof(ServeInput.History);

    /// <summary>How many idle prediction engines the pool keeps (0: twice the processor count).</summary>
    public int MaxIdleEngines { get; set; }
}
