using System.Text.Json;
using TorchSharp;

namespace GenRec.MLNet.Training;

/// <summary>
/// A resumable training state in a folder: module weights, optimizer state and loop counters.
/// Files are written to temporary names and then moved, so an interruption mid-write never leaves a
/// checkpoint that looks complete but is not.
/// </summary>
internal sealed class TrainingCheckpoint
{
    private const string WeightsFile = "model.weights";
    private const string OptimizerFile = "optimizer.state";
    private const string StateFile = "loop.json";

    public int Epoch { get; set; }

    public int BatchInEpoch { get; set; }

    public long Step { get; set; }

    public double? BestMetric { get; set; }

    public int BestEpoch { get; set; }

    public int Seed { get; set; }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, StateFile));

    public void Save(string directory, torch.nn.Module module, torch.optim.Optimizer optimizer)
    {
        Directory.CreateDirectory(directory);
        string weights = Path.Combine(directory, WeightsFile);
        string optimizerState = Path.Combine(directory, OptimizerFile);
        string state = Path.Combine(directory, StateFile);
        module.save(weights + ".tmp");
        ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(optimizerState + ".tmp");
        File.WriteAllText(state + ".tmp", JsonSerializer.Serialize(this));
        File.Move(weights + ".tmp", weights, true);
        File.Move(optimizerState + ".tmp", optimizerState, true);
        File.Move(state + ".tmp", state, true); // last: its presence marks a complete checkpoint
    }

    public static TrainingCheckpoint Load(string directory, torch.nn.Module module, torch.optim.Optimizer optimizer)
    {
        string state = Path.Combine(directory, StateFile);
        TrainingCheckpoint checkpoint = JsonSerializer.Deserialize<TrainingCheckpoint>(File.ReadAllText(state))
            ?? throw new InvalidDataException($"Checkpoint state '{state}' is empty.");
        module.load(Path.Combine(directory, WeightsFile));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(Path.Combine(directory, OptimizerFile));
        return checkpoint;
    }
}
