using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Serving;

/// <summary>
/// A generative compute step applied to a whole view in blocks: its cursor reads a block of rows ahead, runs one
/// batched beam search for them, and then serves the rows one by one. The schema is the compute step's (the input's
/// columns, then the step's outputs) and so are the values, to rounding: see <see cref="GenerativeRowServing"/>.
/// </summary>
internal sealed class GenerativeBlockScoringView : IDataView
{
    public GenerativeBlockScoringView(IDataView source, GenerativeComputeStep step, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        Source = source;
        Step = step;
        BlockSize = blockSize;
        foreach (string name in step.InputColumns)
        {
            _ = source.Schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(source), $"The generative compute step needs column '{name}', which the data does not have.");
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        foreach (var (name, type) in step.OutputColumns)
        {
            builder.AddColumn(name, type);
        }

        Schema = builder.ToSchema();
        Model = Persistence.CarriedModel<GenerativeRecommenderModel>.Unpaired(GenerativeModelBlob.Load);
    }

    public IDataView Source { get; }

    public GenerativeComputeStep Step { get; }

    public int BlockSize { get; }

    /// <summary>Resolves (and checks, once per view) the model the rows' carrier columns name.</summary>
    public Persistence.CarriedModel<GenerativeRecommenderModel> Model { get; }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => Source.GetRowCount();

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            active[column.Index] = true;
        }

        return new GenerativeBlockScoringCursor(this, active);
    }

    /// <inheritdoc />
    /// <remarks>One cursor: a block's rows are decoded together, and splitting them over cursors would only shrink the blocks.</remarks>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };
}
