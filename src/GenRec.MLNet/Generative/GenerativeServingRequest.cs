namespace GenRec.MLNet.Generative;

/// <summary>
/// One row to serve, as the compute steps read it: the history as raw item key values (1-based; 0 or beyond the
/// model's items are skipped), the user index (negative = unknown user) and the row's own item key (0 = none) whose
/// score is wanted.
/// </summary>
internal readonly record struct GenerativeServingRequest(uint[] HistoryKeys, int UserIndex, uint Item);
