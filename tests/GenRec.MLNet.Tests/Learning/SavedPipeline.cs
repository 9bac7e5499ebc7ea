using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Persistence;
using Microsoft.ML;

namespace GenRec.MLNet.Tests.Learning;

/// <summary>
/// The product path the learning tests measure: Fit on the training rows, Save the chain, Load it in a fresh
/// <see cref="MLContext"/> with the process's model cache emptied (only the zip can supply the weights), score the
/// held-out rows with Transform and measure them with Evaluate.
/// </summary>
internal static class SavedPipeline
{
    public static RecommendationMetrics FitSaveLoadEvaluate(MLContext ml, IEstimator<ITransformer> pipeline, IDataView train, IDataView test, params int[] ks) =>
        SaveLoadEvaluate(ml, pipeline.Fit(train), train.Schema, test, ks);

    /// <summary>Saves a fitted chain, loads it as a new process would and evaluates it on the test rows; disposes the fitted chain.</summary>
    public static RecommendationMetrics SaveLoadEvaluate(MLContext ml, ITransformer model, DataViewSchema inputSchema, IDataView test, params int[] ks)
    {
        string path = Path.Combine(Path.GetTempPath(), $"genrec-learning-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, inputSchema, path);
            ModelBlobCache.Clear();
            var serving = new MLContext(seed: 12345);
            ITransformer loaded = serving.Model.Load(path, out _);
            return serving.GenerativeRecommendation().Evaluate(loaded.Transform(test), "UserId", "ItemId", "RecommendedItems", ks);
        }
        finally
        {
            File.Delete(path);
            (model as IDisposable)?.Dispose();
        }
    }
}
