namespace GenRec.MLNet.Sweeping;

/// <summary>The validation metric a sweep maximizes (<see cref="SweepExperiment{TOptions}.SetOptimizingMetric"/>).</summary>
public enum SweepMetric
{
    /// <summary>Recall@10 on the validation rows.</summary>
    RecallAt10,

    /// <summary>NDCG@10 on the validation rows.</summary>
    NdcgAt10,
}
