namespace GenRec.MLNet.Sweeping;

/// <summary>A sampled point of the search space with the seed its trials train under.</summary>
internal sealed record SweepConfiguration(int Id, IReadOnlyDictionary<string, object?> Values, int Seed);
