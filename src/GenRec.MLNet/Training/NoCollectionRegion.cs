using System.Runtime;

namespace GenRec.MLNet.Training;

/// <summary>
/// Runs TorchSharp code we cannot change with no garbage collection in between. TorchSharp's own <c>AdamW.step</c> passes
/// temporary native Scalars (1 − β₁, the decayed learning rate, …) that nothing keeps alive, so a collection during the
/// call can finalize one while LibTorch still reads it; on Beauty this surfaced as "Expected false to be true … toFloat"
/// from <c>add_</c> in the optimizer step. The library's own tensor–scalar arithmetic keeps its Scalars alive
/// (<c>Nn.TensorArithmetic</c>, enforced by the banned-API analyzer); for the optimizer this region is the guard.
/// </summary>
/// <remarks>
/// The region is process-wide, so one gate serializes it across concurrent trainings (an optimizer step is short next
/// to the forward and backward passes). Should another thread allocate past the budget, the runtime collects anyway and
/// ends the region early: the guard then degrades to today's behaviour for that step instead of failing.
/// </remarks>
internal static class NoCollectionRegion
{
    // Managed bytes the guarded call may allocate: AdamW allocates a few small wrappers per parameter tensor.
    private const long AllocationBudget = 16L * 1024 * 1024;
    private static readonly object Gate = new();

    public static void Run(Action action)
    {
        lock (Gate)
        {
            bool started = false;
            try
            {
                started = GC.TryStartNoGCRegion(AllocationBudget);
            }
            catch (InvalidOperationException)
            {
                // Someone else's region is active: it already keeps collections out.
            }

            try
            {
                action();
            }
            finally
            {
                if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                {
                    GC.EndNoGCRegion();
                }
            }
        }
    }
}
