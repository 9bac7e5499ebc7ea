using Xunit;

// Torch's global random generator is process-wide: trainers seed it, then draw initial weights and dropout masks
// from it. Test classes running in parallel would interleave those draws and make "same seed, same model" tests
// flaky; LibTorch also already uses every core inside one test, so parallel classes would only oversubscribe.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
