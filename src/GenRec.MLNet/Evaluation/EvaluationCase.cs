namespace GenRec.MLNet.Evaluation;

/// <summary>
/// One held-out test case: the user, the history the recommender may see, and the item(s) it should rank highly.
/// </summary>
/// <remarks>
/// Built by whatever split the caller uses (leave-one-out, time-based...); the evaluator does not depend on
/// how cases were produced, only that item indices match the recommender's item space.
/// </remarks>
/// <param name="UserIndex">0-based user index, passed through to the recommender.</param>
/// <param name="History">Item indices the recommender may condition on, oldest first.</param>
/// <param name="Targets">Held-out item indices (usually exactly one); duplicates count once.</param>
public sealed record EvaluationCase(int UserIndex, int[] History, int[] Targets);
