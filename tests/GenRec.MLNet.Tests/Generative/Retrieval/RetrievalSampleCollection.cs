using Xunit;

namespace GenRec.MLNet.Tests.Generative.Retrieval;

/// <summary>The test classes that share one trained <see cref="RetrievalSample"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RetrievalSampleCollection : ICollectionFixture<RetrievalSample>
{
    public const string Name = "Retrieval sample";
}
