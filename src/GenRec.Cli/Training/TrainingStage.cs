using GenRec.MLNet.Training;

namespace GenRec.Cli.Training;

/// <summary>One trained stage of the pipeline: its display name and the options whose progress hook reports it.</summary>
/// <param name="Name">Short name shown in progress and plots (e.g. <c>collaborative</c>, <c>tokenizer</c>).</param>
/// <param name="Description">What the stage is (e.g. <c>MF-BPR, 32-d</c>).</param>
/// <param name="Options">The stage's training options (epochs, budget, checkpoints, progress).</param>
/// <param name="BudgetShare">Its share of <c>--minutes</c>.</param>
/// <param name="ValidationMetric">What the stage validates on (shown on plots), e.g. <c>Recall@10</c>.</param>
public sealed record TrainingStage(string Name, string Description, TorchTrainerOptions Options, double BudgetShare, string ValidationMetric);
