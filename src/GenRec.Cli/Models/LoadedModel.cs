using GenRec.Cli.Input;
using GenRec.Cli.Training;
using GenRec.MLNet.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Cli.Models;

/// <summary>
/// A model zip as a fresh process sees it: ML.NET's loaded chain, its input schema, and the training record when
/// genrec wrote one. Everything here reads the chain's columns; nothing depends on the fitted transformer types.
/// </summary>
public sealed class LoadedModel
{
    internal LoadedModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, TrainingRecord? record)
    {
        MLContext = ml;
        Transformer = transformer;
        InputSchema = inputSchema;
        Record = record;
        OutputSchema = transformer.GetOutputSchema(inputSchema);
    }

    /// <summary>The context the model was loaded into.</summary>
    public MLContext MLContext { get; }

    /// <summary>The loaded chain.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The schema the chain reads.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The schema the chain writes.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>Curves, titles and split of the training run; null when the zip was not written by genrec.</summary>
    public TrainingRecord? Record { get; }

    /// <summary>Original IDs of a key column's keys (index = key − 1), e.g. the users or items the model knows.</summary>
    public string[] KeyValues(string column)
    {
        DataViewSchema.Column key = OutputSchema[column];
        VBuffer<ReadOnlyMemory<char>> values = default;
        key.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }

    /// <summary>
    /// The semantic ID of every item (in key order) read from the chain's <paramref name="column"/> by transforming
    /// one row per item; only the columns up to the tokenizer are computed, because ML.NET evaluates lazily.
    /// </summary>
    public SemanticIdTable ReadCodes(string column, string keySourceColumn, string keyColumn)
    {
        if (OutputSchema.GetColumnOrNull(column) is null)
        {
            throw new CliException($"the model has no {column} column, so it has no semantic IDs to describe");
        }

        string[] ids = KeyValues(keyColumn);
        var rows = ids.Select(id => keySourceColumn == nameof(InteractionRow.User)
            ? new InteractionRow { User = id }
            : new InteractionRow { Item = id }).ToArray();
        IDataView scored = Transformer.Transform(MLContext.Data.LoadFromEnumerable(rows, InteractionSchema.Create()));
        var codes = new List<int[]>(ids.Length);
        using (var cursor = scored.GetRowCursor([scored.Schema[column]]))
        {
            var getter = cursor.GetGetter<VBuffer<uint>>(scored.Schema[column]);
            VBuffer<uint> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                codes.Add(value.DenseValues().Select(c => checked((int)c)).ToArray());
            }
        }

        int levels = codes.Max(c => c.Length);
        int[] sizes = Record?.CodebookSizes.GetValueOrDefault(column)
            ?? Enumerable.Range(0, levels).Select(l => codes.Max(c => l < c.Length ? c[l] : 0) + 1).ToArray();
        return new SemanticIdTable(codes, sizes);
    }
}
