namespace GenRec.MLNet.Sweeping;

/// <summary>How a sweep trial ended (<see cref="TrialResult{TOptions}.Status"/>).</summary>
public enum TrialStatus
{
    /// <summary>The pipeline was fitted and scored on the validation rows.</summary>
    Completed,

    /// <summary>Fitting or scoring threw; <see cref="TrialResult{TOptions}.Error"/> says what. The sweep goes on.</summary>
    Failed,

    /// <summary>The time budget ran out or the caller cancelled while the trial was training; it has no metrics.</summary>
    Cancelled,
}
