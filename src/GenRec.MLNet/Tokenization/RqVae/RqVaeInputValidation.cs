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

        RequireDistancesFit(values, columns, parameterName, what);
    }

    /// <summary>
    /// Throws when a row is so long that squared distances between rows overflow single precision. k-means and the
    /// quantizers compute ‖a − b‖² ≤ 4·max‖x‖² in float32; past that, distances become ∞ and LibTorch fails with an
    /// error that says nothing about the input (e.g. an invalid multinomial distribution).
    /// </summary>
    public static void RequireDistancesFit(float[] values, int columns, string parameterName, string what)
    {
        const double MaxSquaredLength = float.MaxValue / 4.0;
        for (int start = 0; start + columns <= values.Length; start += columns)
        {
            double squared = 0;
            foreach (float value in values.AsSpan(start, columns))
            {
                squared += (double)value * value;
            }

            if (squared > MaxSquaredLength)
            {
                throw new ArgumentException(
                    $"The {what} of row {start / columns} is too large: its squared length is {squared:E2}, and distances between such vectors " +
                    $"overflow single precision (squared lengths up to {MaxSquaredLength:E2} are supported). Scale the vectors down, e.g. L2-normalize them.",
                    parameterName);
            }
        }
    }
}
