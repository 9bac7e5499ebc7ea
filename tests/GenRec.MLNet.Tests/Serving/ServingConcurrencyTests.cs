using FluentAssertions;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GenRec.MLNet.Tests.Serving;

/// <summary>
/// A loaded model serves many threads at once without a lock around it: each thread's engine gets exactly what one
/// engine alone gets, also while the cache unloads the model, and disposing a model while threads score with it ends in
/// a clear <see cref="ObjectDisposedException"/> or a finished call, never a crash.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class ServingConcurrencyTests
{
    private readonly ServingFixture _fixture;

    public ServingConcurrencyTests(ServingFixture fixture) => _fixture = fixture;

    [Fact]
    public void EightThreadsWithOneEngineEachGetWhatOneEngineGetsAlone()
    {
        foreach (ServedModel served in new[] { _fixture.EncoderDecoderRows, _fixture.UserHistories })
        {
            ConcurrentScoring.AssertThreadsAgree(context => context.Model.CreatePredictionEngine<ServingRow, EngineOutput>(served.Loaded), served.Rows,
                (engine, row) => { EngineOutput o = engine.Predict(row); return (o.RecommendedItems.ToArray(), o.Scores.ToArray()); });
        }
    }

    [Fact]
    public void DisposingAModelWhileThreadsScoreEndsInAClearErrorOrAFinishedCall()
    {
        var fitted = (GenerativeRecommenderTransformer)((TransformerChain<ITransformer>)_fixture.DecoderOnlyRows.Fitted).LastTransformer;
        GenerativeRecommenderModel model = GenerativeModelBlob.Load(GenerativeModelBlob.Save(fitted.Model));
        RecommendationRequest[] requests = Generative.GenerativeTestData.Requests(16).ToArray();
        int[][] expected = model.Recommend(requests, 10, excludeHistory: false);

        ConcurrentScoring.AssertDisposalDuringScoringIsRefusedCleanly(
            _ => model.Recommend(requests, 10, excludeHistory: false).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering()),
            model.Dispose, "disposed", callsBeforeDisposal: 4);
        model.Invoking(m => m.Recommend(requests, 10, excludeHistory: false)).Should().Throw<ObjectDisposedException>();
    }

    /// <summary>A PredictionEngine's output row (the engine reuses it, so results are copied).</summary>
    public sealed class EngineOutput
    {
        public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

        public float[] Scores { get; set; } = Array.Empty<float>();
    }
}
