using Microsoft.ML;

namespace GenRec.MLNet.Data;

/// <summary>
/// The result of <see cref="GenRecCatalog.LeaveOneOutSplit"/> or <see cref="GenRecCatalog.TrainTestSplit"/>: three
/// views of the split interaction data, each with exactly the input's schema (every column, annotations included).
/// </summary>
/// <remarks>
/// The views are lazy filters over the input: rows keep their input order, and each cursor reads the input again, so
/// the input must give the same rows in the same order every time (every ML.NET data view does). Cache the input
/// first (<c>mlContext.Data.Cache</c>) when reading it is expensive.
/// </remarks>
public sealed class InteractionSplit
{
    internal InteractionSplit(IDataView train, IDataView validation, IDataView test, int userCount, int splitUserCount)
    {
        Train = train;
        Validation = validation;
        Test = test;
        UserCount = userCount;
        SplitUserCount = splitUserCount;
    }

    /// <summary>Training rows: everything not held out, including every row of users too short to split.</summary>
    public IDataView Train { get; }

    /// <summary>Validation rows; an empty view (same schema) when no validation part was asked for.</summary>
    public IDataView Validation { get; }

    /// <summary>Test rows.</summary>
    public IDataView Test { get; }

    /// <summary>Number of distinct users in the input.</summary>
    public int UserCount { get; }

    /// <summary>Number of users that had enough interactions to contribute held-out rows; the others are all in <see cref="Train"/>.</summary>
    public int SplitUserCount { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Train.GetRowCount():N0} train, {Validation.GetRowCount():N0} validation, {Test.GetRowCount():N0} test rows; " +
        $"{SplitUserCount:N0} of {UserCount:N0} users split";
}
