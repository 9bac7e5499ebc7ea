using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Serving;

/// <summary>
/// The values of one column over a block of rows a cursor has read ahead, so the rows can be served after the source
/// cursor has moved on. Vectors are copied (a getter may reuse its buffer for the next row); scalars are values.
/// </summary>
internal abstract class ColumnSnapshot
{
    /// <summary>A snapshot of <paramref name="column"/> read from <paramref name="source"/>, for up to <paramref name="capacity"/> rows.</summary>
    public static ColumnSnapshot Create(DataViewRowCursor source, DataViewSchema.Column column, int capacity)
    {
        Type raw = column.Type.RawType;
        Type snapshot = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorSnapshot<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueSnapshot<>).MakeGenericType(raw);
        return (ColumnSnapshot)Activator.CreateInstance(snapshot, source, column, capacity)!;
    }

    /// <summary>Copies the source cursor's current value into <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter of the value in the slot <paramref name="currentSlot"/> names when it is called.</summary>
    public abstract Delegate CreateGetter(Func<int> currentSlot);

    private sealed class ValueSnapshot<T> : ColumnSnapshot
    {
        private readonly ValueGetter<T> _getter;
        private readonly T[] _values;

        public ValueSnapshot(DataViewRowCursor source, DataViewSchema.Column column, int capacity)
        {
            _getter = source.GetGetter<T>(column);
            _values = new T[capacity];
        }

        public override void Capture(int slot) => _getter(ref _values[slot]);

        public override Delegate CreateGetter(Func<int> currentSlot) => (ValueGetter<T>)((ref T value) => value = _values[currentSlot()]);
    }

    private sealed class VectorSnapshot<T> : ColumnSnapshot
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private readonly VBuffer<T>[] _values;
        private VBuffer<T> _scratch;

        public VectorSnapshot(DataViewRowCursor source, DataViewSchema.Column column, int capacity)
        {
            _getter = source.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
        }

        public override void Capture(int slot)
        {
            _getter(ref _scratch);
            _scratch.CopyTo(ref _values[slot]);
        }

        public override Delegate CreateGetter(Func<int> currentSlot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[currentSlot()].CopyTo(ref value));
    }
}
