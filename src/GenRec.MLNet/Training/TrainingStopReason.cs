namespace GenRec.MLNet.Training;

/// <summary>Why a training run ended (<see cref="TrainingResult.StopReason"/>).</summary>
public enum TrainingStopReason
{
    /// <summary>All <see cref="TorchTrainerOptions.NumberOfEpochs"/> epochs ran.</summary>
    Epochs,

    /// <summary>Validation did not improve for <see cref="TorchTrainerOptions.EarlyStoppingPatience"/> validations; the best epoch's weights were kept.</summary>
    EarlyStopping,

    /// <summary><see cref="TorchTrainerOptions.MaxTrainingTime"/> was spent; the best validated weights were kept.</summary>
    TimeBudget,
}
