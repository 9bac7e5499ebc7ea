namespace GenRec.MLNet.Sweeping;

/// <summary>Why a sweep stopped starting trials (<see cref="SweepResult{TOptions}.StopReason"/>).</summary>
public enum SweepStopReason
{
    /// <summary><see cref="SweepExperiment{TOptions}.SetMaxTrials"/> trials ran.</summary>
    MaxTrials,

    /// <summary><see cref="SweepExperiment{TOptions}.SetTrainingTimeInSeconds"/> was spent.</summary>
    TimeBudget,

    /// <summary>The caller's cancellation token was cancelled; the trials finished before it are returned.</summary>
    Cancelled,
}
