using System.Runtime;
using FluentAssertions;
using GenRec.MLNet.Training;
using Xunit;

namespace GenRec.MLNet.Tests.Training;

public sealed class NoCollectionRegionTests
{
    [Fact]
    public void NoCollectionRunsInsideTheRegionAndTheRegionEndsAfterwards()
    {
        int before = 0, after = 0;
        long allocated = 0;
        NoCollectionRegion.Run(() =>
        {
            before = GC.CollectionCount(0);
            // About 4 MB of short-lived garbage, as an optimizer step's wrappers are (well inside the 16 MB budget).
            for (int i = 0; i < 4096; i++)
            {
                allocated += new byte[1024].Length;
            }

            after = GC.CollectionCount(0);
        });

        allocated.Should().Be(4L * 1024 * 1024);
        after.Should().Be(before, "a collection inside the region could finalize a Scalar LibTorch is reading");
        GCSettings.LatencyMode.Should().NotBe(GCLatencyMode.NoGCRegion, "the region must end with the call");
    }

    [Fact]
    public void AnExceptionInsideTheRegionStillEndsIt()
    {
        Action failing = () => NoCollectionRegion.Run(() => throw new InvalidDataException("step failed"));

        failing.Should().Throw<InvalidDataException>().WithMessage("step failed");
        GCSettings.LatencyMode.Should().NotBe(GCLatencyMode.NoGCRegion);
    }
}
