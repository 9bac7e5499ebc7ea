using GenRec.MLNet.Persistence;

namespace GenRec.MLNet.Tokenization.ResidualKMeans;

/// <summary>
/// The part of a saved residual k-means tokenizer after <see cref="SemanticIdEncoderBlob"/>'s tag, version and
/// hyperparameters JSON: the standardization means and deviations, then each level's centroids, every array an Int32
/// count and that many Singles. Every count is checked against the hyperparameters and against the bytes that remain,
/// before anything is allocated.
/// </summary>
internal static class ResidualKMeansBlob
{
    private const string What = "residual k-means tokenizer";

    /// <summary>Writes the arrays of <paramref name="model"/>.</summary>
    public static void WriteArrays(BinaryWriter writer, ResidualKMeansModel model)
    {
        (float[][] centroids, float[] means, float[] scales) = model.State;
        WriteSingles(writer, means);
        WriteSingles(writer, scales);
        foreach (float[] level in centroids)
        {
            WriteSingles(writer, level);
        }
    }

    /// <summary>Reads the arrays that follow <paramref name="hyperparameters"/> and rebuilds the model.</summary>
    /// <exception cref="InvalidDataException">A count that disagrees with the hyperparameters or the bytes left, a non-finite value, or trailing bytes (the field is named).</exception>
    public static ResidualKMeansModel Read(BoundedBlobReader reader, ResidualKMeansHyperparameters hyperparameters)
    {
        ModelFileLimits.ValidateOptions(hyperparameters.Validate, What);
        ModelFileLimits.RequireAtMost(What, nameof(hyperparameters.ContentDimension), hyperparameters.ContentDimension, ModelFileLimits.MaxSize);
        ModelFileLimits.RequireAtMost(What, nameof(hyperparameters.CollaborativeDimension), hyperparameters.CollaborativeDimension, ModelFileLimits.MaxSize);
        int statistics = hyperparameters.Normalization == InputNormalization.Standardize ? hyperparameters.ContentDimension : 0;
        float[] means = ReadExactly(reader, "the standardization means", statistics);
        float[] scales = ReadExactly(reader, "the standardization deviations", statistics);
        if (scales.Any(s => s == 0))
        {
            throw reader.Invalid("a standardization deviation is 0.");
        }

        long perLevel = (long)hyperparameters.CodebookSize * hyperparameters.QuantizedDimension;
        var centroids = new float[hyperparameters.Levels][];
        for (int level = 0; level < centroids.Length; level++)
        {
            centroids[level] = ReadExactly(reader, $"the centroids of level {level}", perLevel);
        }

        if (reader.Remaining != 0)
        {
            throw reader.Invalid($"{reader.Remaining} bytes follow the last level's centroids.");
        }

        return new ResidualKMeansModel(hyperparameters, centroids, means, scales);
    }

    private static float[] ReadExactly(BoundedBlobReader reader, string field, long expected)
    {
        int count = reader.ReadCount(field, sizeof(float));
        if (count != expected)
        {
            throw reader.Invalid($"{field} hold {count} values; the hyperparameters call for {expected}.");
        }

        float[] values = reader.ReadSingles(count, field);
        if (values.Any(v => !float.IsFinite(v)))
        {
            throw reader.Invalid($"{field} contain a non-finite value.");
        }

        return values;
    }

    private static void WriteSingles(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (float value in values)
        {
            writer.Write(value);
        }
    }
}
