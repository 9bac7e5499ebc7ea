using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Generative.Serving;

/// <summary>
/// Applies a model like <c>model.Transform(data)</c>, but with every generative compute step in it served in blocks
/// (<see cref="GenerativeBlockScoringView"/>): a chain is walked step by step, nested chains included, and only the
/// compute steps are replaced; every other step transforms as it would in the chain.
/// </summary>
internal static class BlockServing
{
    /// <summary>Rows read ahead by default: four decode batches, which the decoder groups by history length to pad less.</summary>
    public const int DefaultBlockSize = 512;

    public static IDataView Transform(ITransformer model, IDataView input, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var steps = new List<ITransformer>();
        Flatten(model, steps);
        if (!steps.Any(step => GenerativeComputeStep.Recognize(step) is not null))
        {
            return model.Transform(input);
        }

        IDataView data = input;
        foreach (ITransformer step in steps)
        {
            data = GenerativeComputeStep.Recognize(step) is { } compute
                ? new GenerativeBlockScoringView(data, compute, blockSize)
                : step.Transform(data);
        }

        return data;
    }

    private static void Flatten(ITransformer model, List<ITransformer> steps)
    {
        switch (model)
        {
            case GenerativeRecommenderTransformer fitted:
                // Its own checks (item keys by value) run first; then its serving chain, step by step.
                steps.Add(new KeyCheck(fitted));
                Flatten(fitted.ServingChain, steps);
                break;
            case IEnumerable<ITransformer> chain:
                foreach (ITransformer step in chain)
                {
                    Flatten(step, steps);
                }

                break;
            default:
                steps.Add(model);
                break;
        }
    }

    /// <summary>A step that only runs a fitted transformer's input checks and passes the data on.</summary>
    private sealed class KeyCheck : ITransformer
    {
        private readonly GenerativeRecommenderTransformer _fitted;

        public KeyCheck(GenerativeRecommenderTransformer fitted) => _fitted = fitted;

        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            _fitted.CheckInput(inputSchema);
            return inputSchema;
        }

        public IDataView Transform(IDataView input)
        {
            _fitted.CheckInput(input.Schema);
            return input;
        }

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException();
    }
}
