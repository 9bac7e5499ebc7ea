namespace GenRec.MLNet.Sweeping;

/// <summary>The columns of a fitted trial's output that <see cref="GenRecCatalog.Evaluate"/> reads.</summary>
internal sealed record SweepEvaluationColumns(string User, string Item, string RecommendedItems);
