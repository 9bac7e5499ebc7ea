namespace GenRec.MLNet.Tokenization;

/// <summary>How <see cref="CodeHistogramPlot"/> draws two code tables in one histogram.</summary>
public enum HistogramComparisonLayout
{
    /// <summary>Two thin bars per code, the first table's on the left: every bar stays fully visible.</summary>
    SideBySide,

    /// <summary>One bar width per code, the second table drawn translucent over the first: easier to read at 256 codes.</summary>
    Overlay,
}
