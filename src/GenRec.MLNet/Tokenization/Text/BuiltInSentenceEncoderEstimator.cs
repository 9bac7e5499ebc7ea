using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// Fits the built-in sentence encoder: nothing is learned, but <c>Fit</c> encodes every distinct text of its data in
/// length-sorted batches, so the rows that the pipeline's later stages read come from the encoder's memo instead of
/// one model run per row. The fitted model is the chain CopyColumns → CustomMapping (contract
/// <see cref="MiniLmEncodeMappingFactory.Contract"/>) → CopyColumns → DropColumns, all stock ML.NET transforms.
/// </summary>
internal sealed class BuiltInSentenceEncoderEstimator : IEstimator<ITransformer>
{
    private readonly MLContext _mlContext;
    private readonly string _inputColumn;
    private readonly BuiltInSentenceEncoderOptions _options;
    private readonly IEstimator<ITransformer> _chain;

    public BuiltInSentenceEncoderEstimator(MLContext mlContext, string outputColumnName, string inputTextColumnName, BuiltInSentenceEncoderOptions options)
    {
        _mlContext = mlContext;
        _inputColumn = inputTextColumnName;
        _options = options;
        mlContext.ComponentCatalog.RegisterAssembly(typeof(MiniLmEncodeMappingFactory).Assembly);

        // Never drop what the caller named: their text column, or an output they asked to overwrite.
        string[] drop = new[] { SentenceTextRow.Column, MiniLmVectorRow.Column }
            .Where(name => name != outputColumnName && name != inputTextColumnName)
            .ToArray();
        _chain = mlContext.Transforms.CopyColumns(SentenceTextRow.Column, inputTextColumnName)
            .Append(mlContext.Transforms.CustomMapping(new MiniLmEncodeMappingFactory().GetMapping(), MiniLmEncodeMappingFactory.Contract))
            .Append(mlContext.Transforms.CopyColumns(outputColumnName, MiniLmVectorRow.Column))
            .Append(mlContext.Transforms.DropColumns(drop));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A row's text is empty or whitespace (the message names the row and column).</exception>
    public ITransformer Fit(IDataView input)
    {
        string[] texts = ReadTexts(input);
        using IChannel channel = ((IHostEnvironment)_mlContext).Register(nameof(ContentVectorizers.BuiltInSentenceEncoder)).Start("Encode");
        var encoder = MiniLmSentenceEncoder.Shared(_options.Threads);
        var clock = Stopwatch.StartNew();
        // About ten progress lines for a large catalog: encoding 10,000 titles takes minutes on a busy CPU.
        int step = Math.Max(1000, texts.Length / 10);
        int nextReport = step;
        encoder.Encode(texts, _options.BatchSize, (done, total) =>
        {
            if (done >= nextReport && done < total)
            {
                channel.Info(MessageSensitivity.None, "{0}", $"{_options.Model}: encoded {done:N0} of {total:N0} new texts ({done / clock.Elapsed.TotalSeconds:F1} texts/s).");
                nextReport += step;
            }
        });
        channel.Info(MessageSensitivity.None, "{0}", $"{_options.Model}: {texts.Length:N0} distinct texts encoded (or found in the memo) in {clock.Elapsed.TotalSeconds:F1} s, batches of {_options.BatchSize}.");
        return _chain.Fit(input);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <summary>The distinct texts of the input column, in first-seen order.</summary>
    private string[] ReadTexts(IDataView input)
    {
        var column = input.Schema[_inputColumn];
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>();
        using var cursor = input.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (value.Span.IsWhiteSpace())
            {
                throw new ArgumentException(
                    $"BuiltInSentenceEncoder: row {row} of the text column '{_inputColumn}' is empty. Every row that Fit sees needs text to encode "
                    + "(give text-less items a title or a placeholder, or filter them out); at prediction, empty text gives the zero vector.", "input");
            }

            string text = value.ToString();
            if (distinct.Add(text))
            {
                ordered.Add(text);
            }

            row++;
        }

        return ordered.ToArray();
    }
}
