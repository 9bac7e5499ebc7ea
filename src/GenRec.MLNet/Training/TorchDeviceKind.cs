namespace GenRec.MLNet.Training;

/// <summary>Which device TorchSharp computes on.</summary>
public enum TorchDeviceKind
{
    /// <summary>CUDA when a CUDA build of LibTorch and a GPU are present, otherwise CPU (default).</summary>
    Auto = 0,

    /// <summary>Always the CPU.</summary>
    Cpu = 1,

    /// <summary>A CUDA GPU; training fails with a clear error when none is available.</summary>
    Cuda = 2,
}
