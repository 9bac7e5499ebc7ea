using FluentAssertions;
using GenRec.MLNet.Training;
using Microsoft.ML;
using TorchSharp;
using Xunit;

namespace GenRec.MLNet.Tests.Training;

public sealed class TorchEnvironmentTests
{
    [Fact]
    public void CpuIsAlwaysCpu()
    {
        TorchEnvironment.ResolveDevice(new MLContext(1), TorchDeviceKind.Cpu).type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void AutoPicksCudaOnlyWhenAvailable()
    {
        var device = TorchEnvironment.ResolveDevice(new MLContext(1), TorchDeviceKind.Auto);
        device.type.Should().Be(TorchEnvironment.IsCudaAvailable() ? DeviceType.CUDA : DeviceType.CPU);
    }

    [Fact]
    public void AskingForCudaWithoutCudaIsAClearError()
    {
        if (TorchEnvironment.IsCudaAvailable())
        {
            TorchEnvironment.ResolveDevice(new MLContext(1), TorchDeviceKind.Cuda).type.Should().Be(DeviceType.CUDA);
            return;
        }

        Action resolve = () => TorchEnvironment.ResolveDevice(new MLContext(1), TorchDeviceKind.Cuda);
        resolve.Should().Throw<InvalidOperationException>().WithMessage("*CUDA is not available*GenRecTorchBackend=cuda*");
    }

    [Fact]
    public void GpuRequestedWithoutFallbackFailsWhenThereIsNoGpu()
    {
        var ml = new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = false };
        if (TorchEnvironment.IsCudaAvailable())
        {
            return;
        }

        Action resolve = () => TorchEnvironment.ResolveDevice(ml, TorchDeviceKind.Auto);
        resolve.Should().Throw<InvalidOperationException>().WithMessage("*FallbackToCpu = false*");

        new MLContext(1) { GpuDeviceId = 0, FallbackToCpu = true }.Invoking(c => TorchEnvironment.ResolveDevice(c, TorchDeviceKind.Auto))
            .Should().NotThrow();
    }

    [Fact]
    public void SeedFollowsTheMLContextSeedAndTheExplicitOption()
    {
        int a = TorchEnvironment.ResolveSeed(new MLContext(seed: 42), null, "x");
        int b = TorchEnvironment.ResolveSeed(new MLContext(seed: 42), null, "x");
        int c = TorchEnvironment.ResolveSeed(new MLContext(seed: 43), null, "x");

        a.Should().Be(b);
        a.Should().NotBe(c);
        TorchEnvironment.ResolveSeed(new MLContext(seed: 42), 5, "x").Should().Be(5);
    }
}
