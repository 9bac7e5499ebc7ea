using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Data;

/// <summary>
/// Cursor of a <see cref="RowSubsetDataView"/>: moves the source cursor and stops on the rows of one part; values,
/// row IDs and column activity come straight from the source cursor.
/// </summary>
internal sealed class RowSubsetCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly byte[] _parts;
    private readonly byte _part;
    private long _sourceRow = -1;
    private long _position = -1;
    private bool _disposed;

    /// <summary>Wraps <paramref name="input"/>, a fresh cursor of the split view; disposing this cursor disposes it.</summary>
    public RowSubsetCursor(DataViewRowCursor input, byte[] parts, byte part)
    {
        _input = input;
        _parts = parts;
        _part = part;
    }

    /// <inheritdoc />
    public override DataViewSchema Schema => _input.Schema;

    /// <inheritdoc />
    public override long Position => _position;

    /// <inheritdoc />
    public override long Batch => 0;

    /// <inheritdoc />
    public override bool MoveNext()
    {
        while (_input.MoveNext())
        {
            _sourceRow++;
            if (_sourceRow >= _parts.Length)
            {
                throw new InvalidOperationException(
                    $"The split data view now has more than the {_parts.Length} rows it had when it was split; split it again.");
            }

            if (_parts[_sourceRow] == _part)
            {
                _position++;
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    /// <inheritdoc />
    public override bool IsColumnActive(DataViewSchema.Column column) => _input.IsColumnActive(column);

    /// <inheritdoc />
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _input.GetGetter<TValue>(column);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _input.Dispose();
        }

        _disposed = true;

        base.Dispose(disposing);
    }
}
