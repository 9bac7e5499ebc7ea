using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>What one <c>presets-movielens</c> row measured.</summary>
/// <param name="Row">The row.</param>
/// <param name="Test">Test metrics of the recipe's ranking, from the reloaded zip.</param>
/// <param name="SasRecTest">Test metrics of the row's SASRec stage's own ranking (rows without SASRec: null).</param>
/// <param name="Recommender">The generative recommender's (or retrieval's) training: best validation Recall@10, epochs, speed.</param>
/// <param name="Codes">Statistics of the item semantic IDs.</param>
/// <param name="FitTime">The whole pipeline's Fit (SASRec, tokenizers, recommender; the text vectors come from the encoder's memo).</param>
internal sealed record PresetRowOutcome(PresetRow Row, RecommendationMetrics Test, RecommendationMetrics? SasRecTest, TrainingResult Recommender, CodeStatistics Codes, TimeSpan FitTime)
{
    /// <summary>Best validation Recall@10 of the recommender (NaN when it never validated).</summary>
    public double ValidRecall10 => Recommender.BestValidationMetric ?? double.NaN;
}
