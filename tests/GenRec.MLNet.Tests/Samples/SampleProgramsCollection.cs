using Xunit;

namespace GenRec.MLNet.Tests.Samples;

/// <summary>
/// The tests that run console samples in-process (<see cref="SampleRun"/>). They redirect the process-wide Console,
/// so the collection never runs beside another one, even if the assembly ever allows parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleProgramsCollection
{
    public const string Name = "Console samples run in-process";
}
