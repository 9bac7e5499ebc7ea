using Microsoft.ML;

namespace GenRec.MLNet.Data;

/// <summary>
/// A lazy view of the rows of <see cref="Source"/> whose entry in a shared row-assignment array equals one part
/// number: same schema (annotations included) and the rows in their source order, every column passed through.
/// </summary>
/// <remarks>
/// The source is read again on every cursor, so it must give the same rows in the same order each time, as every
/// ML.NET data view does when not shuffled. A source that has grown since the split fails loudly rather than
/// assigning its extra rows to some part.
/// </remarks>
internal sealed class RowSubsetDataView : IDataView
{
    private readonly byte[] _parts;
    private readonly byte _part;
    private readonly long _rowCount;

    /// <summary>Creates the view of the rows <c>r</c> with <c>parts[r] == part</c>.</summary>
    /// <param name="source">The view that was split.</param>
    /// <param name="parts">Part number per source row (shared by the views of the other parts; never modified).</param>
    /// <param name="part">The part this view shows.</param>
    public RowSubsetDataView(IDataView source, byte[] parts, byte part)
    {
        Source = source;
        _parts = parts;
        _part = part;
        _rowCount = parts.LongCount(p => p == part);
    }

    /// <summary>The view that was split.</summary>
    public IDataView Source { get; }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema => Source.Schema;

    /// <inheritdoc />
    public long? GetRowCount() => _rowCount;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new RowSubsetCursor(Source.GetRowCursor(columnsNeeded), _parts, _part);

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
