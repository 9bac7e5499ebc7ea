namespace GenRec.MLNet.Tokenization;

/// <summary>
/// Turns byte offsets of a file into 1-based line numbers. The JSON reader asks for offsets in increasing order, so
/// newlines are counted incrementally and a whole file costs one pass, not one pass per error-capable token.
/// </summary>
internal sealed class ByteLineCounter
{
    private readonly byte[] _bytes;
    private long _countedTo;
    private long _line = 1;

    public ByteLineCounter(byte[] bytes) => _bytes = bytes;

    /// <summary>1-based line of <paramref name="offset"/>.</summary>
    public long LineOf(long offset)
    {
        if (offset < _countedTo)
        {
            _countedTo = 0;
            _line = 1;
        }

        long end = Math.Min(offset, _bytes.Length);
        for (long i = _countedTo; i < end; i++)
        {
            if (_bytes[i] == (byte)'\n')
            {
                _line++;
            }
        }

        _countedTo = end;
        return _line;
    }
}
