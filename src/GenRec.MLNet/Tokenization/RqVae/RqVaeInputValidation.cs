namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>Checks of the row-major float matrices the tokenizer reads, with messages that say which row is wrong.</summary>
internal static class RqVaeInputValidation
{
    /// <summary>Throws unless <paramref name="values"/> holds <paramref name="rows"/> × <paramref name="columns"/> finite floats.</summary>
    /// <param name="values">The matrix, row-major.</param>
    /// <param name="rows">Expected rows (items).</param>
    /// <param name="columns">Expected columns (features).</param>
    /// <param name="parameterName">Parameter named in the exception.</param>
    /// <param name="what">What the rows are, for messages ("content vector", "CF embedding").</param>
    public static void RequireFiniteMatrix(float[] values, int rows, int columns, string parameterName, string what)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        if (columns < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, columns, $"The {what} dimension must be at least 1 (got {columns}).");
        }

        if (rows < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, rows, $"The number of rows must not be negative (got {rows}).");
        }

        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException(
                $"Dimension mismatch: {rows} rows × {columns} values per {what} = {(long)rows * columns} floats expected, but the array holds {values.Length}.",
                parameterName);
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"The {what} of row {i / columns} has a non-finite value ({values[i]}) at position {i % columns}.", parameterName);
            }
        }
    }
}
