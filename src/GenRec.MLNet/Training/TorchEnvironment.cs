using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace GenRec.MLNet.Training;

/// <summary>
/// The one place where device choice and torch seeding happen, so every estimator behaves the same way
/// with respect to <see cref="MLContext.GpuDeviceId"/>, <see cref="MLContext.FallbackToCpu"/> and the
/// <see cref="MLContext"/> seed.
/// </summary>
public static class TorchEnvironment
{
    /// <summary>
    /// Resolves the device. <see cref="TorchDeviceKind.Auto"/> picks CUDA when available (device index
    /// <see cref="MLContext.GpuDeviceId"/>, default 0) and otherwise the CPU — unless the context asked for a
    /// GPU with <c>FallbackToCpu = false</c>, which is an error, as in ML.NET's own TorchSharp trainers.
    /// </summary>
    public static torch.Device ResolveDevice(MLContext mlContext, TorchDeviceKind requested)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        bool cudaAvailable = IsCudaAvailable();
        int index = mlContext.GpuDeviceId ?? 0;
        switch (requested)
        {
            case TorchDeviceKind.Cpu:
                return torch.CPU;
            case TorchDeviceKind.Cuda:
                if (!cudaAvailable)
                {
                    throw new InvalidOperationException(
                        "Device = Cuda was requested but CUDA is not available to TorchSharp. This build references the CPU " +
                        "LibTorch package (TorchSharp-cpu); on a machine with an NVIDIA GPU rebuild with " +
                        "'-p:GenRecTorchBackend=cuda', or use Device = Auto or Cpu.");
                }

                return new torch.Device(DeviceType.CUDA, index);
            case TorchDeviceKind.Auto:
                if (cudaAvailable)
                {
                    return new torch.Device(DeviceType.CUDA, index);
                }

                if (mlContext.GpuDeviceId != null && !mlContext.FallbackToCpu)
                {
                    throw new InvalidOperationException(
                        $"MLContext.GpuDeviceId = {mlContext.GpuDeviceId} and FallbackToCpu = false, but CUDA is not available to TorchSharp.");
                }

                return torch.CPU;
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown device kind.");
        }
    }

    /// <summary>Whether TorchSharp can use CUDA in this process.</summary>
    public static bool IsCudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception ex) when (ex is DllNotFoundException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// A seed for torch and for our own shuffling: the explicit option when given, otherwise one draw from the
    /// MLContext's seeded random source (public route: <c>IHostEnvironment.Register(...).Rand</c>), so that
    /// <c>new MLContext(seed: n)</c> makes training repeatable.
    /// </summary>
    public static int ResolveSeed(MLContext mlContext, int? explicitSeed, string componentName)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        if (explicitSeed.HasValue)
        {
            return explicitSeed.Value;
        }

        IHost host = ((IHostEnvironment)mlContext).Register(componentName);
        return host.Rand.Next();
    }

    /// <summary>
    /// What every trainer does before it builds a network, in one place: resolve the device, draw the seed (the
    /// options' or the <see cref="MLContext"/>'s), set the thread count and seed torch's generators.
    /// </summary>
    internal static (torch.Device Device, int Seed) PrepareTraining(MLContext mlContext, TorchTrainerOptions options, string componentName)
    {
        torch.Device device = ResolveDevice(mlContext, options.Device);
        int seed = ResolveSeed(mlContext, options.Seed, componentName);
        UseAllCores();
        Seed(seed);
        return (device, seed);
    }

    /// <summary>Seeds torch's CPU and CUDA generators.</summary>
    public static void Seed(int seed)
    {
        torch.random.manual_seed(seed);
        if (IsCudaAvailable())
        {
            torch.cuda.manual_seed_all(seed);
        }
    }

    /// <summary>Environment variable that fixes TorchSharp's intra-op thread count (e.g. 1 on a shared, oversubscribed machine).</summary>
    public const string ThreadsEnvironmentVariable = "GENREC_TORCH_THREADS";

    /// <summary>
    /// Uses every core for intra-op parallelism (LibTorch may default to fewer threads than cores in containers;
    /// on 2-core machines that halves throughput), unless <see cref="ThreadsEnvironmentVariable"/> says otherwise:
    /// when several processes share the cores, one thread each is several times faster than oversubscription.
    /// </summary>
    public static void UseAllCores()
    {
        int threads = Environment.ProcessorCount;
        if (int.TryParse(Environment.GetEnvironmentVariable(ThreadsEnvironmentVariable), out int requested) && requested > 0)
        {
            threads = requested;
        }

        if (torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }
    }
}
