using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Training;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>What <see cref="CodesTableViaMlNet.FitAndScore"/> measured: test metrics of the loaded zip, the training, and the stage times.</summary>
internal sealed record CodesTableRun(RecommendationMetrics Metrics, TrainingResult Training, TimeSpan Fit, TimeSpan Save, TimeSpan Load, TimeSpan Eval);
