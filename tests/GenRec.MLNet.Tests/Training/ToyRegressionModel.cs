using GenRec.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tests.Training;

/// <summary>Learns y = 2x + 1 with one linear layer: small enough that every loop feature can be checked exactly.</summary>
internal sealed class ToyRegressionModel : ITrainableModel<float[]>, IDisposable
{
    private readonly TorchSharp.Modules.Linear _linear;
    private readonly float[] _inputs;

    public ToyRegressionModel(int examples = 64, int batchSize = 16)
    {
        _linear = nn.Linear(1, 1);
        _inputs = Enumerable.Range(0, examples).Select(i => i / (float)examples).ToArray();
        BatchSize = batchSize;
    }

    public int BatchSize { get; }

    public bool ProduceNaN { get; set; }

    public Func<double?>? ValidationOverride { get; set; }

    public int ValidationCalls { get; private set; }

    /// <summary>The epoch whose batches were last enumerated (what a scripted validation is scoring).</summary>
    public int CurrentEpoch { get; private set; }

    public nn.Module Module => _linear;

    public int BatchesPerEpoch => (_inputs.Length + BatchSize - 1) / BatchSize;

    public IEnumerable<float[]> EnumerateBatches(int epoch, Random random)
    {
        CurrentEpoch = epoch;
        float[] shuffled = _inputs.OrderBy(_ => random.Next()).ToArray();
        for (int start = 0; start < shuffled.Length; start += BatchSize)
        {
            yield return shuffled.Skip(start).Take(BatchSize).ToArray();
        }
    }

    public Tensor ComputeLoss(float[] batch)
    {
        Tensor x = tensor(batch).unsqueeze(1);
        Tensor y = x * 2 + 1;
        Tensor loss = nn.functional.mse_loss(_linear.forward(x), y);
        return ProduceNaN ? loss * float.NaN : loss;
    }

    public int CountExamples(float[] batch) => batch.Length;

    public double? Validate()
    {
        ValidationCalls++;
        if (ValidationOverride != null)
        {
            return ValidationOverride();
        }

        using Tensor x = tensor(_inputs).unsqueeze(1);
        using Tensor error = nn.functional.mse_loss(_linear.forward(x), x * 2 + 1);
        return -error.item<float>();
    }

    public float Weight => _linear.weight!.item<float>();

    public float Bias => _linear.bias!.item<float>();

    public void Dispose() => _linear.Dispose();
}
