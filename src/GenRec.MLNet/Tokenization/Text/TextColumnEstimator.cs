using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Wraps a chain of ML.NET estimators that reads one text column, checking that column first so a user gets an
/// error naming their column rather than one about an internal column deep in the chain. Fitting returns the inner
/// chain's own transformer, so the fitted model holds only stock ML.NET transformers and saves/loads as usual.
/// </summary>
internal sealed class TextColumnEstimator : IEstimator<ITransformer>
{
    private readonly IEstimator<ITransformer> _inner;
    private readonly string _inputColumn;
    private readonly bool _allowTextVectors;
    private readonly string _purpose;
    private readonly Func<Exception, Exception?>? _explainFitError;

    /// <param name="inner">The chain to run.</param>
    /// <param name="inputColumn">The text column the chain reads.</param>
    /// <param name="allowTextVectors">Whether a vector of text is accepted as well as scalar text.</param>
    /// <param name="purpose">What the chain is, for messages (the public helper's name).</param>
    /// <param name="explainFitError">Turns an ML.NET error from fitting into one phrased in the helper's options; null keeps it.</param>
    public TextColumnEstimator(IEstimator<ITransformer> inner, string inputColumn, bool allowTextVectors, string purpose, Func<Exception, Exception?>? explainFitError = null)
    {
        _inner = inner;
        _inputColumn = inputColumn;
        _allowTextVectors = allowTextVectors;
        _purpose = purpose;
        _explainFitError = explainFitError;
    }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(_inputColumn);
        if (column is null)
        {
            throw Missing(input.Schema.Select(c => c.Name));
        }

        var type = column.Value.Type;
        bool isText = type is TextDataViewType
            || (_allowTextVectors && type is VectorDataViewType vector && vector.ItemType is TextDataViewType);
        if (!isText)
        {
            throw NotText(type.ToString() ?? type.GetType().Name);
        }

        try
        {
            return _inner.Fit(input);
        }
        catch (Exception e) when (_explainFitError?.Invoke(e) is Exception explained)
        {
            throw explained;
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        // The last column of a name is the visible one, as in a DataViewSchema.
        var matches = inputSchema.Where(c => c.Name == _inputColumn).ToList();
        if (matches.Count == 0)
        {
            throw Missing(inputSchema.Select(c => c.Name));
        }

        var column = matches[^1];

        bool isText = column.ItemType is TextDataViewType
            && (column.Kind == SchemaShape.Column.VectorKind.Scalar || _allowTextVectors);
        if (!isText)
        {
            throw NotText($"{column.Kind} of {column.ItemType}");
        }

        return _inner.GetOutputSchema(inputSchema);
    }

    private ArgumentOutOfRangeException Missing(IEnumerable<string> available) =>
        new("input", $"{_purpose} needs the text column '{_inputColumn}', which the data does not have. Columns: {string.Join(", ", available.Distinct())}.");

    private ArgumentException NotText(string actual) =>
        new($"{_purpose} needs '{_inputColumn}' to be a text (string) column{(_allowTextVectors ? " or a vector of text" : string.Empty)}, but it is {actual}.", "input");
}
