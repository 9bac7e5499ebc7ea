namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>Checks row-major input vectors before they reach torch, so mistakes surface as clear argument errors.</summary>
internal static class KWayInput
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="vectors"/> is not <paramref name="count"/> finite rows of
    /// <paramref name="dimension"/> values, naming the first bad row.
    /// </summary>
    public static void Check(float[] vectors, int count, int dimension, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(vectors, parameterName);
        if (count <= 0 || vectors.Length == 0)
        {
            throw new ArgumentException($"No input vectors: count is {count} and the array holds {vectors.Length} values.", parameterName);
        }

        if (dimension <= 0)
        {
            throw new ArgumentException($"The vector dimension must be at least 1 (got {dimension}).", parameterName);
        }

        if ((long)count * dimension != vectors.Length)
        {
            throw new ArgumentException(
                $"Dimension mismatch: {count} vectors × {dimension} features = {(long)count * dimension} values, but the array holds {vectors.Length}.",
                parameterName);
        }

        for (int i = 0; i < vectors.Length; i++)
        {
            if (!float.IsFinite(vectors[i]))
            {
                throw new ArgumentException(
                    $"Row {i / dimension} (feature {i % dimension}) is {vectors[i]}; every input value must be finite.", parameterName);
            }
        }

        RqVae.RqVaeInputValidation.RequireDistancesFit(vectors, dimension, parameterName, "input vector");
    }
}
