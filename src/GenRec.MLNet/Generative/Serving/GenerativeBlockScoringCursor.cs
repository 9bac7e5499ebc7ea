using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Serving;

/// <summary>
/// Reads up to <see cref="GenerativeBlockScoringView.BlockSize"/> rows of the source ahead, keeps the requested source
/// columns of each, serves the block's rows with one call of <see cref="GenerativeRowServing.Serve"/>, then hands the
/// rows out one at a time. When no output column is requested nothing is decoded.
/// </summary>
internal sealed class GenerativeBlockScoringCursor : DataViewRowCursor
{
    private readonly GenerativeBlockScoringView _parent;
    private readonly DataViewRowCursor _source;
    private readonly bool[] _active;
    private readonly int _sourceColumns;
    private readonly bool _decode;
    private readonly ColumnSnapshot?[] _snapshots;
    private readonly ValueGetter<DataViewRowId> _sourceId;
    private readonly DataViewRowId[] _ids;
    private readonly BlockInputs? _inputs;
    private readonly GenerativeServingRequest[] _requests;
    private uint[][] _items = Array.Empty<uint[]>();
    private float[][] _scores = Array.Empty<float[]>();
    private float[] _itemScores = Array.Empty<float>();
    private int _count;
    private int _slot = -1;
    private long _position = -1;

    public GenerativeBlockScoringCursor(GenerativeBlockScoringView parent, bool[] active)
    {
        _parent = parent;
        _active = active;
        _sourceColumns = parent.Source.Schema.Count;
        _decode = active.Skip(_sourceColumns).Any(a => a);
        var needed = new HashSet<int>(Enumerable.Range(0, _sourceColumns).Where(i => active[i]));
        if (_decode)
        {
            foreach (string name in parent.Step.InputColumns)
            {
                needed.Add(parent.Source.Schema[name].Index);
            }
        }

        _source = parent.Source.GetRowCursor(needed.Select(i => parent.Source.Schema[i]));
        _sourceId = _source.GetIdGetter();
        int block = parent.BlockSize;
        _ids = new DataViewRowId[block];
        _snapshots = new ColumnSnapshot?[_sourceColumns];
        for (int i = 0; i < _sourceColumns; i++)
        {
            _snapshots[i] = active[i] ? ColumnSnapshot.Create(_source, parent.Source.Schema[i], block) : null;
        }

        _requests = new GenerativeServingRequest[block];
        _inputs = _decode ? new BlockInputs(_source, parent.Step) : null;
    }

    /// <inheritdoc />
    public override long Position => _position;

    /// <inheritdoc />
    public override long Batch => 0;

    /// <inheritdoc />
    public override DataViewSchema Schema => _parent.Schema;

    /// <inheritdoc />
    public override bool MoveNext()
    {
        if (_slot + 1 >= _count && !ReadBlock())
        {
            _slot = _count; // past the end: getters fail instead of serving a stale row
            return false;
        }

        _slot++;
        _position++;
        return true;
    }

    /// <inheritdoc />
    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[CurrentSlot()];

    /// <inheritdoc />
    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    /// <inheritdoc />
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active[column.Index])
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        }

        Delegate getter = column.Index < _sourceColumns
            ? _snapshots[column.Index]!.CreateGetter(CurrentSlot)
            : OutputGetter(column.Index - _sourceColumns);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source.Dispose();
        }

        base.Dispose(disposing);
    }

    private int CurrentSlot() => _slot >= 0 && _slot < _count
        ? _slot
        : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and not after it returned false.");

    private Delegate OutputGetter(int output) => output switch
    {
        0 => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) => Fill(_items[CurrentSlot()], ref value)),
        1 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Fill(_scores[CurrentSlot()], ref value)),
        _ => (ValueGetter<float>)((ref float value) => value = _itemScores[CurrentSlot()]),
    };

    private static void Fill<T>(T[] values, ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, values.Length);
        values.CopyTo(editor.Values);
        destination = editor.Commit();
    }

    private bool ReadBlock()
    {
        _count = 0;
        _slot = -1;
        GenerativeRecommenderModel? model = null;
        while (_count < _parent.BlockSize && _source.MoveNext())
        {
            _sourceId(ref _ids[_count]);
            foreach (ColumnSnapshot? snapshot in _snapshots)
            {
                snapshot?.Capture(_count);
            }

            if (_inputs is not null)
            {
                model ??= _inputs.ResolveModel(_parent.Model);
                _requests[_count] = _inputs.Read();
            }

            _count++;
        }

        if (_count == 0)
        {
            return false;
        }

        if (model is not null)
        {
            (_items, _scores, _itemScores) = GenerativeRowServing.Serve(model, new ArraySegment<GenerativeServingRequest>(_requests, 0, _count), _parent.Step.InteractionRows);
        }

        return true;
    }

    /// <summary>The compute step's inputs of the source cursor's current row.</summary>
    private sealed class BlockInputs
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _modelId;
        private readonly ValueGetter<VBuffer<byte>> _weights;
        private readonly ValueGetter<VBuffer<uint>> _history;
        private readonly ValueGetter<uint>? _user;
        private readonly ValueGetter<VBuffer<uint>>? _storedHistory;
        private readonly ValueGetter<uint>? _item;
        private ReadOnlyMemory<char> _id;
        private VBuffer<byte> _bytes;
        private VBuffer<uint> _keys;

        public BlockInputs(DataViewRowCursor source, GenerativeComputeStep step)
        {
            DataViewSchema schema = source.Schema;
            _modelId = source.GetGetter<ReadOnlyMemory<char>>(schema[WeightsCarrier.ModelIdColumnName]);
            _weights = source.GetGetter<VBuffer<byte>>(schema[WeightsCarrier.WeightsColumnName]);
            _history = source.GetGetter<VBuffer<uint>>(schema[GenerativeRecommendMappingFactory.HistoryColumn]);
            if (step.ReadsUser)
            {
                _user = source.GetGetter<uint>(schema[GenerativeRecommendUserMappingFactory.UserColumn]);
            }

            if (step.InteractionRows)
            {
                _storedHistory = source.GetGetter<VBuffer<uint>>(schema[GenerativeRecommendRowsMappingFactory.StoredHistoryColumn]);
                _item = source.GetGetter<uint>(schema[GenerativeRecommendRowsMappingFactory.ItemColumn]);
            }
        }

        /// <summary>The row's model; its weight bytes are read (and checked) only while the view holds no model of that id.</summary>
        public GenerativeRecommenderModel ResolveModel(CarriedModel<GenerativeRecommenderModel> carried)
        {
            _modelId(ref _id);
            string id = _id.ToString();
            byte[] bytes = Array.Empty<byte>();
            if (!carried.Holds(id))
            {
                _weights(ref _bytes);
                bytes = _bytes.DenseValues().ToArray();
            }

            return carried.Resolve(id, bytes);
        }

        public GenerativeServingRequest Read()
        {
            uint[] history = ReadKeys(_history);
            uint user = 0;
            _user?.Invoke(ref user);
            if (_storedHistory is null)
            {
                return new GenerativeServingRequest(history, user == 0 ? -1 : (int)user - 1, 0);
            }

            uint item = 0;
            _item!(ref item);
            // As the single-row step: the row's own history when it brings a non-empty one, else the stored one.
            uint[] used = history.Any(key => key != 0) ? history : ReadKeys(_storedHistory);
            return new GenerativeServingRequest(used, user == 0 ? -1 : (int)user - 1, item);
        }

        private uint[] ReadKeys(ValueGetter<VBuffer<uint>> getter)
        {
            getter(ref _keys);
            return _keys.DenseValues().ToArray();
        }
    }
}
