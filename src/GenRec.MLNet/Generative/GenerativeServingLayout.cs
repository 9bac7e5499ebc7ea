using Microsoft.ML;

namespace GenRec.MLNet.Generative;

/// <summary>
/// How a trained generative model is served: the item key column whose key type (and key values) the
/// recommendations carry, and, for models trained on interaction rows, every user's training history
/// (index = user key − 1) so a user key alone gets recommendations.
/// </summary>
internal sealed record GenerativeServingLayout(DataViewSchema.Column ItemKeys, int[][]? UserHistories);
